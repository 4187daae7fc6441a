package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.secrets.SecretBox;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PasscodeGrantsTest {

    private final SecretBox box = new SecretBox(new byte[32], List.of(), new SecureRandom());
    private final PasscodeGrants grants = new PasscodeGrants(box);
    private final UUID app = UUID.randomUUID();
    private final Instant now = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aGrantOpensItsLinkUntilItExpires() {
        String cookie = grants.issue(app, "hash-1", now.plusSeconds(60));

        assertThat(grants.valid(cookie, app, "hash-1", now)).isTrue();
        assertThat(grants.valid(cookie, app, "hash-1", now.plusSeconds(60))).isFalse();
    }

    @Test
    void aGrantIsBoundToItsLinkAndItsPasscode() {
        String cookie = grants.issue(app, "hash-1", now.plusSeconds(60));

        assertThat(grants.valid(cookie, UUID.randomUUID(), "hash-1", now)).isFalse();
        assertThat(grants.valid(cookie, app, "hash-2", now)).as("the passcode changed").isFalse();
        assertThat(grants.valid(cookie.substring(0, cookie.length() - 2) + "AA", app, "hash-1", now)).isFalse();
        assertThat(grants.valid("garbage", app, "hash-1", now)).isFalse();
        assertThat(grants.valid(null, app, "hash-1", now)).isFalse();
        assertThat(grants.valid(cookie, app, null, now)).isFalse();
    }

    @Test
    void aGrantFromAnotherServerKeyIsWorthless() {
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        String forged = new PasscodeGrants(new SecretBox(otherKey, List.of(), new SecureRandom()))
                .issue(app, "hash-1", now.plusSeconds(60));

        assertThat(grants.valid(forged, app, "hash-1", now)).isFalse();
    }
}
