package dev.switchboard.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundConfigurationTest {

    @Test
    void deprecatedWebhookUrlsBecomeAllowEntriesForTheirHostAndPort() {
        List<String> entries = OutboundConfiguration.migrate(List.of("http://127.0.0.1:9000/hook", "https://hooks.internal/a",
                "https://hooks.internal/b", "http://[::1]:8080/"));

        assertThat(entries).containsExactly("127.0.0.1:9000", "hooks.internal:443", "[::1]:8080");
        OutboundGuard guard = OutboundGuard.of(entries, host -> {
            throw new java.net.UnknownHostException(host);
        });
        assertThat(guard.refusal(java.net.URI.create("http://127.0.0.1:9000/x"))).isEmpty();
        assertThat(guard.refusal(java.net.URI.create("http://127.0.0.1:9001/x"))).isPresent();
        assertThat(guard.refusal(java.net.URI.create("http://[::1]:8080/x"))).isEmpty();
    }
}
