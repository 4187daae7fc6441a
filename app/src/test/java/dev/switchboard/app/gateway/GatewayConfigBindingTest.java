package dev.switchboard.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.runs.RunProperties;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Provider settings bind from properties and from environment variables as the README shows. */
class GatewayConfigBindingTest {

    private static GatewayConfig bind(org.springframework.core.env.PropertySource<?> source) {
        StandardEnvironment environment = new StandardEnvironment();
        if (source instanceof SystemEnvironmentPropertySource) {
            environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            environment.getPropertySources().addFirst(source);
        }
        // the same binder @ConfigurationProperties uses
        GatewayProperties properties = Binder.get(environment).bind("switchboard", GatewayProperties.class)
                .orElseGet(() -> new GatewayProperties(null));
        return new GatewayConfiguration().gatewayConfig(properties, runs(environment));
    }

    private static RunProperties runs(StandardEnvironment environment) {
        return Binder.get(environment).bindOrCreate("switchboard.runs", RunProperties.class);
    }

    @Test
    void warnsWhenMoreAsyncRunsCanCallAProviderThanItsBulkheadTakes() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "switchboard.runs.async-concurrency", "500",
                "switchboard.gateway.providers.small.base-url", "http://127.0.0.1:8000/v1",
                "switchboard.gateway.providers.small.max-concurrent-calls", "64",
                "switchboard.gateway.providers.big.base-url", "http://127.0.0.1:8001/v1",
                "switchboard.gateway.providers.big.max-concurrent-calls", "1000")));
        GatewayConfig config = Binder.get(environment).bind("switchboard", GatewayProperties.class).get().config();

        assertThat(GatewayConfiguration.bulkheadWarnings(config, runs(environment).asyncConcurrency())).containsExactly(
                "switchboard.runs.async-concurrency (500) is above what provider small takes at once "
                        + "(switchboard.gateway.providers.small.max-concurrent-calls: 64): when more async runs call it "
                        + "together, the calls beyond that fail at once with 'unavailable' (bulkhead full) or go to a "
                        + "fallback model; raise max-concurrent-calls or lower async-concurrency");
        // the defaults (256 and 256) agree
        assertThat(GatewayConfiguration.bulkheadWarnings(bind(new MapPropertySource("defaults", Map.of(
                "switchboard.gateway.providers.local.base-url", "http://127.0.0.1:8000/v1"))), 256)).isEmpty();
    }

    @Test
    void bindsProvidersFromProperties() {
        GatewayConfig config = bind(new MapPropertySource("test", Map.of(
                "switchboard.gateway.providers.local.type", "openai-compatible",
                "switchboard.gateway.providers.local.base-url", "http://127.0.0.1:8000/v1",
                "switchboard.gateway.providers.local.api-key", "sk-local",
                "switchboard.gateway.providers.local.models[0]", "llama3",
                "switchboard.gateway.providers.local.timeout", "30s")));

        ProviderConfig local = config.providers().get("local");
        assertThat(local.type()).isEqualTo("openai-compatible");
        assertThat(local.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8000/v1"));
        assertThat(local.apiKey()).isEqualTo("sk-local");
        assertThat(local.models()).isEqualTo(List.of("llama3"));
        assertThat(local.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void bindsProvidersFromEnvironmentVariables() {
        GatewayConfig config = bind(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "SWITCHBOARD_GATEWAY_PROVIDERS_OLLAMA_TYPE", "openai-compatible",
                "SWITCHBOARD_GATEWAY_PROVIDERS_OLLAMA_BASE_URL", "http://localhost:11434/v1")));

        assertThat(config.providers().get("ollama").baseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
        assertThat(config.providers().get("ollama").type()).isEqualTo("openai-compatible");
    }

    @Test
    void bindsLocalModelDirectoriesAsNestedOptions() {
        GatewayConfig config = bind(new MapPropertySource("test", Map.of(
                "switchboard.gateway.providers.local.options.models.gpt-j-6b.path", "/models/gpt-j-6b",
                "switchboard.gateway.providers.local.options.models.gpt-j-6b.int8", "true",
                "switchboard.gateway.providers.local.options.threads", "8")));
        GatewayConfig fromEnv = bind(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "SWITCHBOARD_GATEWAY_PROVIDERS_LOCAL_OPTIONS_MODELS_GPTJ_PATH", "/models/gptj")));

        assertThat(config.providers().get("local").options()).containsEntry("models.gpt-j-6b.path", "/models/gpt-j-6b")
                .containsEntry("models.gpt-j-6b.int8", "true").containsEntry("threads", "8");
        assertThat(fromEnv.providers().get("local").options()).containsEntry("models.gptj.path", "/models/gptj");
    }

    @Test
    void noProvidersIsAnEmptyConfiguration() {
        assertThat(bind(new MapPropertySource("empty", Map.of())).providers()).isEmpty();
    }
}
