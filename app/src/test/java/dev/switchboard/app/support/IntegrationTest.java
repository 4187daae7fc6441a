package dev.switchboard.app.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the API integration tests: the whole app on a random port with its embedded PostgreSQL
 * in a fresh temp data dir, the bootstrap key {@link #ADMIN_KEY}, and a provider {@code fake}
 * pointing at {@link FakeModelServer}. Every subclass shares one application context (and one
 * database), so tests create their own apps and never assume an empty database.
 */
// max-attempts here (not in properties() below) so subclasses' @DynamicPropertySource can override it
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "switchboard.gateway.resilience.max-attempts=1")
public abstract class IntegrationTest {

    public static final String ADMIN_KEY = "it-admin-key-0123456789abcdef";

    @LocalServerPort
    protected int port;

    protected Api api;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("switchboard-it-");
        registry.add("switchboard.data-dir", dataDir::toString);
        registry.add("switchboard.api-key", () -> ADMIN_KEY);
        registry.add("switchboard.gateway.providers.fake.type", () -> "openai-compatible");
        registry.add("switchboard.gateway.providers.fake.base-url", FakeModelServer::baseUrl);
        registry.add("switchboard.gateway.providers.fake.api-key", () -> "sk-fake-provider-key");
        registry.add("switchboard.gateway.providers.second.type", () -> "openai-compatible");
        registry.add("switchboard.gateway.providers.second.base-url", FakeModelServer::secondBaseUrl);
        registry.add("switchboard.demo.model", () -> "fake/demo-model");
    }

    @BeforeEach
    void connect() {
        api = new Api("http://127.0.0.1:" + port, ADMIN_KEY);
    }
}
