package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasscodeHasherTest {

    private final PasscodeHasher hasher = new PasscodeHasher(10_000, new SecureRandom());

    @Test
    void verifiesTheRightPasscodeOnlyAndStoresNoClearText() {
        String stored = hasher.hash("correct horse");

        assertThat(stored).matches("pbkdf2-sha256\\$10000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}").doesNotContain("horse");
        assertThat(hasher.verify("correct horse", stored)).isTrue();
        assertThat(hasher.verify("correct hors", stored)).isFalse();
        assertThat(hasher.verify("Correct horse", stored)).isFalse();
        assertThat(hasher.verify("", stored)).isFalse();
    }

    @Test
    void everyHashHasItsOwnSaltAndKeepsItsIterationCount() {
        String a = hasher.hash("same");
        String b = hasher.hash("same");
        assertThat(a).isNotEqualTo(b);

        PasscodeHasher stronger = new PasscodeHasher(20_000, new SecureRandom());
        assertThat(stronger.verify("same", a)).as("a hash made with other settings still verifies").isTrue();
    }

    @Test
    void malformedStoredValuesNeverMatch() {
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify("x", "")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$abc$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("x", "bcrypt$10$x$y")).isFalse();
        assertThat(hasher.verifyNothing()).isFalse();
    }
}
