package dev.switchboard.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app as {@link IntegrationTest} starts it, plus what the gateway's own scenarios need: retries
 * (3 attempts, 10 ms backoff), a circuit breaker that opens after 4 failures, and two priced
 * providers on the shared fake server, told apart by their keys: {@code prime} ({@link #PRIME_KEY})
 * and {@code backup} ({@link #BACKUP_KEY}), and the in-process {@code local} GPT-J provider serving a small
 * fixture model as {@code local/small}. One more application context, shared by these tests.
 */
abstract class GatewayIntegrationTest extends IntegrationTest {

    static final String PRIME_KEY = "sk-prime-7f3a9c1e5b2d4a68";
    static final String BACKUP_KEY = "sk-backup-0c4e8a2f6d1b3957";
    /** inference-gptj's GPT-J fixtures; tests run in the app module's directory. */
    static final String LOCAL_FIXTURES = "../inference-gptj/src/test/resources/gptj";

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("switchboard.gateway.resilience.max-attempts", () -> "3");
        registry.add("switchboard.gateway.resilience.initial-backoff", () -> "10ms");
        registry.add("switchboard.gateway.resilience.max-retry-after", () -> "5s");
        registry.add("switchboard.gateway.resilience.minimum-calls", () -> "4");
        registry.add("switchboard.gateway.resilience.sliding-window-size", () -> "4");
        registry.add("switchboard.gateway.resilience.open-duration", () -> "10m");
        for (String provider : new String[] {"prime", "backup"}) {
            String prefix = "switchboard.gateway.providers." + provider;
            registry.add(prefix + ".type", () -> "openai-compatible");
            registry.add(prefix + ".base-url", FakeModelServer::baseUrl);
            registry.add(prefix + ".api-key", () -> provider.equals("prime") ? PRIME_KEY : BACKUP_KEY);
            registry.add(prefix + ".prompt-api", () -> "chat");
        }
        // USD 1,000 per million tokens: 10 tokens cost 0.01
        registry.add("switchboard.gateway.prices[prime/priced].input-per-million", () -> "1000");
        registry.add("switchboard.gateway.prices[prime/priced].output-per-million", () -> "1000");
        // the local GPT-J provider on inference-gptj's small random fixture (real vocabulary, HF reference outputs)
        registry.add("switchboard.gateway.providers.local.options.models.small.path", () -> LOCAL_FIXTURES + "/small-random-gptj-fp16");
        registry.add("switchboard.gateway.providers.local.options.models.small.tokenizer", () -> LOCAL_FIXTURES + "/tokenizer");
        registry.add("switchboard.gateway.providers.local.options.models.small.threads", () -> "1");
        // the fake server is on loopback: let workspaces' own endpoints point there
        registry.add("switchboard.outbound.allow", () -> "127.0.0.1:" + FakeModelServer.server().port());
        registry.add("switchboard.budgets.refresh-interval", () -> "200ms");
        registry.add("switchboard.budgets.flush-interval", () -> "100ms");
    }

    /** A fresh workspace (operator API) and a client holding its admin key. */
    Api newWorkspace() {
        Response created = api.post("/api/v1/workspaces", Map.of("name", "gw-" + UUID.randomUUID()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return api.withKey(created.json().get("adminKey").get("secret").asString());
    }

    static String workspaceId(Api client) {
        return client.get("/api/v1/workspace").json().get("id").asString();
    }

    static String createApp(Api client, Map<String, Object> graph) {
        Response created = client.post("/api/v1/apps", TestGraphs.app("gw-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }
}
