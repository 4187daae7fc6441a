package dev.switchboard.app.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.TestGraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Provider keys — configured ones and a workspace's own — never reach logs (captured at debug
 * level), responses or run traces, however a provider call fails: an auth error or a server error
 * that echoes the key, a reset connection, a stream cut mid-answer, and the request storing it.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeysNeverLeakIT extends GatewayIntegrationTest {

    private static final String OWN_KEY = "sk-leak-canary-own-key-8c2e61d0";
    private static final List<String> DEBUG_LOGGERS = List.of("dev.switchboard", "org.springframework.web",
            "io.github.resilience4j", "org.apache.catalina.core");

    private final WireMockServer fake = FakeModelServer.server();
    private final LoggingSystem logging = LoggingSystem.get(KeysNeverLeakIT.class.getClassLoader());

    @BeforeEach
    void debugLogging() {
        DEBUG_LOGGERS.forEach(name -> logging.setLogLevel(name, LogLevel.DEBUG));
    }

    @AfterEach
    void normalLogging() {
        DEBUG_LOGGERS.forEach(name -> logging.setLogLevel(name, null));
    }

    /** A provider answer that quotes the key it was sent, as some real providers' errors do. */
    private void stubEcho(String model, int status, String key) {
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + key
                                + ". Header was: Bearer " + key + "\",\"type\":\"invalid_request_error\"}}")));
    }

    private static Map<String, Object> chatBody(String model, boolean stream) {
        return Map.of("model", model, "stream", stream, "messages", List.of(Map.of("role", "user", "content", "hello")));
    }

    @Test
    void failingProviderCallsLeaveNoKeyInLogsResponsesOrTraces(CapturedOutput output) {
        Api ws = newWorkspace();
        Response stored = ws.put("/api/v1/providers/backup/credentials", Map.of("apiKey", OWN_KEY));
        assertThat(stored.status()).isEqualTo(200);
        stubEcho("leak-401", 401, PRIME_KEY);
        stubEcho("leak-500", 500, OWN_KEY);
        stubEcho("leak-400", 400, OWN_KEY);
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo("leak-reset")))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo("leak-cut")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"leak-cut\","
                                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}]}\n\n")));

        List<String> seen = new ArrayList<>();
        seen.add(ws.post("/v1/chat/completions", chatBody("prime/leak-401", false)).body());
        seen.add(ws.post("/v1/chat/completions", chatBody("backup/leak-500", false)).body());
        seen.add(ws.post("/v1/chat/completions", chatBody("backup/leak-400", false)).body());
        seen.add(ws.post("/v1/chat/completions", chatBody("backup/leak-reset", false)).body());
        seen.add(String.join("\n", ws.stream("/v1/chat/completions", chatBody("backup/leak-cut", true))));
        for (String model : List.of("prime/leak-401", "backup/leak-500", "backup/leak-reset")) {
            String appId = createApp(ws, TestGraphs.ai(model, Map.of()));
            Response run = ws.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x")));
            assertThat(run.json().get("status").asString()).isEqualTo("failed");
            seen.add(run.body());
            seen.add(ws.get("/api/v1/runs/" + run.json().get("id").asString()).body());
        }
        seen.add(ws.get("/api/v1/providers").body());
        seen.add(ws.get("/api/v1/providers/backup/credentials").body());

        assertThat(seen).hasSize(13).allSatisfy(body -> assertThat(body)
                .doesNotContain(PRIME_KEY).doesNotContain(BACKUP_KEY).doesNotContain(OWN_KEY));
        assertThat(seen.get(0)).contains("provider_auth_failed");
        assertThat(output.getAll()).as("debug log output").contains("/v1/chat/completions")
                .doesNotContain(PRIME_KEY).doesNotContain(BACKUP_KEY).doesNotContain(OWN_KEY);
    }
}
