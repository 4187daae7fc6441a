package dev.switchboard.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPropertiesTest {

    @Test
    void allowsOnlyUrlsUnderAnAllowedPrefix() {
        WebhookProperties p = new WebhookProperties(List.of("https://hooks.example.com/", "http://127.0.0.1:9000"),
                Duration.ofSeconds(5));
        assertThat(p.allows(URI.create("https://hooks.example.com/orders"))).isTrue();
        assertThat(p.allows(URI.create("http://127.0.0.1:9000/hook?x=1"))).isTrue();
        assertThat(p.allows(URI.create("http://127.0.0.1:9000"))).isTrue();
        assertThat(p.allows(URI.create("http://127.0.0.1:90001/hook"))).as("a longer port is another host").isFalse();
        assertThat(p.allows(URI.create("https://hooks.example.com.evil.net/"))).isFalse();
        assertThat(p.allows(URI.create("http://169.254.169.254/latest/meta-data"))).isFalse();
    }

    @Test
    void allowsNothingByDefaultAndRefusesNonHttpPrefixes() {
        assertThat(new WebhookProperties(null, Duration.ofSeconds(1)).allows(URI.create("https://example.com/"))).isFalse();
        assertThatThrownBy(() -> new WebhookProperties(List.of("file:///etc/"), Duration.ofSeconds(1)))
                .hasMessageContaining("switchboard.webhooks.allowed-urls");
    }
}
