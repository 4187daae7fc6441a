package dev.switchboard.app.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyHintTest {

    @Test
    void longKeysShowAFewCharactersShortOnesNothing() {
        assertThat(ApiKeyService.hint("sb_abcdefghijklmnopqrstuvwxyz0123456789ABCD")).isEqualTo("sb_abcd…ABCD");
        assertThat(ApiKeyService.hint("operator-secret-2026")).isEqualTo("…");
    }

    @Test
    void keysAreHashedWithSha256() {
        assertThat(java.util.HexFormat.of().formatHex(ApiKeyService.sha256("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
