package dev.switchboard.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.outbound.LoopbackListener;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A workspace's own endpoint is a user-supplied URL: the outbound guard refuses internal destinations when it is saved. */
class OutboundUrlPolicyIT extends IntegrationTest {

    @Test
    void endpointsOnLoopbackPrivateOrMetadataAddressesAreRefusedInEverySpelling() {
        try (LoopbackListener listener = new LoopbackListener()) {
            int port = listener.port();
            for (String url : new String[] {"http://127.0.0.1:" + port + "/v1", "http://localhost:" + port + "/v1",
                    "http://2130706433:" + port + "/v1", "http://0x7f.1:" + port + "/v1", "http://0177.0.0.1:" + port + "/v1",
                    "http://[::ffff:127.0.0.1]:" + port + "/v1", "http://[::1]:" + port + "/v1", "http://10.1.2.3/v1",
                    "http://100.64.0.1/v1", "http://169.254.169.254/latest/meta-data", "http://[fd00::1]/v1",
                    "http://[fe80::1]/v1", "http://user:pw@127.0.0.1:" + port + "/v1", "ftp://example.com/v1"}) {
                Response r = api.put("/api/v1/providers/sneaky", Map.of("baseUrl", url));

                assertThat(r.status()).as(url).isEqualTo(422);
                assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("baseUrl");
                assertThat(r.json().get("errors").get(0).get("code").asString()).as(url).isIn("refused", "invalid");
            }
            Response literal = api.put("/api/v1/providers/sneaky", Map.of("baseUrl", "http://127.0.0.1:" + port + "/v1"));
            assertThat(literal.json().get("errors").get(0).get("message").asString())
                    .contains("127.0.0.1").contains("not a public address").contains("loopback");
            assertThat(api.get("/api/v1/providers/sneaky").status()).isEqualTo(404);
            assertThat(listener.connectionsFromOthers()).isZero();
        }
    }
}
