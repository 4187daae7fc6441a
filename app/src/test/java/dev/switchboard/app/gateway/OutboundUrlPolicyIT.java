package dev.switchboard.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With the default policy, a workspace's endpoint may not point into private or local networks. */
class OutboundUrlPolicyIT extends IntegrationTest {

    @Test
    void endpointsOnLoopbackPrivateOrMetadataAddressesAreRefused() {
        for (String url : new String[] {"http://127.0.0.1:11434/v1", "http://localhost:8000", "http://10.1.2.3/v1",
                "http://169.254.169.254/latest/meta-data", "http://[::1]:8000/v1"}) {
            Response r = api.put("/api/v1/providers/sneaky", Map.of("baseUrl", url));

            assertThat(r.status()).as(url).isEqualTo(422);
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("baseUrl");
            assertThat(r.json().get("errors").get(0).get("message").asString()).contains("not a public address");
        }
        assertThat(api.get("/api/v1/providers/sneaky").status()).isEqualTo(404);
    }
}
