package dev.switchboard.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPropertiesTest {

    @Test
    void deprecatedAllowedUrlsMustStillBeHttpUrls() {
        assertThat(new WebhookProperties(null, Duration.ofSeconds(1)).allowedUrls()).isEmpty();
        assertThatThrownBy(() -> new WebhookProperties(List.of("file:///etc/"), Duration.ofSeconds(1)))
                .hasMessageContaining("switchboard.webhooks.allowed-urls");
    }
}
