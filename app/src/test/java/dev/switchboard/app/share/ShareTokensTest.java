package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareTokensTest {

    @Test
    void tokensCarry192RandomBitsAsUrlSafeText() {
        ShareTokens tokens = new ShareTokens();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = tokens.mint();
            assertThat(token).matches("[A-Za-z0-9_-]{32}");
            assertThat(seen.add(token)).isTrue();
        }
        assertThat(ShareTokens.TOKEN_BYTES * 8).isGreaterThanOrEqualTo(128);
    }

    @Test
    void onlyTokenShapedTextIsLookedUp() {
        assertThat(ShareTokens.hash("A".repeat(32))).isPresent();
        assertThat(ShareTokens.hash("A".repeat(31))).isEmpty();
        assertThat(ShareTokens.hash("A".repeat(33))).isEmpty();
        assertThat(ShareTokens.hash("../../etc/passwd-aaaaaaaaaaaaaaaa")).isEmpty();
        assertThat(ShareTokens.hash(null)).isEmpty();
        assertThat(ShareTokens.hash("A".repeat(32)).get()).hasSize(32);
    }
}
