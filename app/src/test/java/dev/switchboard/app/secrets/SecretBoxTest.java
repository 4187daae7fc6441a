package dev.switchboard.app.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        new java.util.Random(seed).nextBytes(k);
        return k;
    }

    private final SecretBox box = new SecretBox(key(1), List.of(), new SecureRandom());

    @Test
    void sealedValueOpensWithTheSameContextAndHidesThePlaintext() {
        String sealed = box.seal("sk-live-123456", "provider:openai:ws1");
        assertThat(sealed).startsWith("v1:" + box.currentKeyId() + ":").doesNotContain("sk-live");
        assertThat(box.open(sealed, "provider:openai:ws1")).isEqualTo("sk-live-123456");
    }

    @Test
    void sealingTwiceGivesDifferentCiphertexts() {
        assertThat(box.seal("x", "c")).isNotEqualTo(box.seal("x", "c"));
    }

    @Test
    void refusesAValueMovedToAnotherRecord() {
        String sealed = box.seal("token", "twilio-token:app1");
        assertThatThrownBy(() -> box.open(sealed, "twilio-token:app2"))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void refusesATamperedValue() {
        String sealed = box.seal("token", "c");
        String[] parts = sealed.split(":", 3);
        byte[] data = Base64.getDecoder().decode(parts[2]);
        data[data.length - 1] ^= 1;
        String tampered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(data);
        assertThatThrownBy(() -> box.open(tampered, "c")).isInstanceOf(SecretException.class);
        assertThatThrownBy(() -> box.open("garbage", "c")).hasMessageContaining("not a sealed secret");
        assertThatThrownBy(() -> box.open("v1:" + box.currentKeyId() + ":AAAA", "c")).hasMessageContaining("truncated");
    }

    @Test
    void rotationOpensOldValuesAndResealsThemUnderTheNewKey() {
        SecretBox old = new SecretBox(key(1), List.of(), new SecureRandom());
        String sealedOld = old.seal("token", "c");
        SecretBox rotated = new SecretBox(key(2), List.of(key(1)), new SecureRandom());
        assertThat(rotated.needsReseal(sealedOld)).isTrue();
        assertThat(rotated.open(sealedOld, "c")).isEqualTo("token");
        String resealed = rotated.reseal(sealedOld, "c");
        assertThat(rotated.needsReseal(resealed)).isFalse();
        SecretBox newOnly = new SecretBox(key(2), List.of(), new SecureRandom());
        assertThat(newOnly.open(resealed, "c")).isEqualTo("token");
        assertThatThrownBy(() -> newOnly.open(sealedOld, "c")).hasMessageContaining("not configured");
    }

    @Test
    void rejectsKeysOfTheWrongLength() {
        assertThatThrownBy(() -> new SecretBox(new byte[16], List.of(), new SecureRandom()))
                .hasMessageContaining("must be 32 bytes");
    }

    @Test
    void masksAllButTheLastFourCharacters() {
        assertThat(SecretBox.mask("sk-abcdefghijkl")).isEqualTo("****ijkl");
        assertThat(SecretBox.mask("short")).isEqualTo("****");
        assertThat(SecretBox.mask(null)).isNull();
    }
}
