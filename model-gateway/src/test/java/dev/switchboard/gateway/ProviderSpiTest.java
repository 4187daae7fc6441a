package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.spi.ModelProvider;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An in-process provider (what the local GPT-J engine will be) plugged in through the SPI gets the same
 * treatment as HTTP providers: routing, limits, accounting, streaming protocol.
 */
class ProviderSpiTest {

    /** Echoes the last message word by word; fails once when asked to. */
    private static final class EchoEngine implements ModelProvider {
        final AtomicBoolean explodeOnce = new AtomicBoolean();

        @Override
        public CompletableFuture<ProviderResponse> complete(ProviderCall call) {
            if (explodeOnce.getAndSet(false)) {
                throw new IllegalStateException("engine bug");
            }
            String text = "echo: " + call.request().messagesOrPrompt().getLast().content();
            return CompletableFuture.completedFuture(new ProviderResponse(null, text, FinishReason.STOP,
                    Usage.provider(3, 2), null, call.model()));
        }

        @Override
        public ProviderStream stream(ProviderCall call) {
            ProviderStream out = new ProviderStream();
            Thread.ofVirtual().start(() -> {
                StringBuilder all = new StringBuilder();
                for (String word : List.of("one ", "two ", "three")) {
                    all.append(word);
                    out.delta(word);
                }
                out.done(new ProviderResponse(null, all.toString(), FinishReason.LENGTH, Usage.provider(3, 3), null,
                        call.model()));
            });
            return out;
        }
    }

    private final EchoEngine engine = new EchoEngine();

    private ModelGateway gateway() {
        return ModelGateway.builder()
                .config(GatewayConfig.builder()
                        .provider("local", new ProviderConfig(null, null, null, List.of("gpt-j-6b"), null, null, null,
                                null, 1, null, null, null, null, null))
                        .resilience(new ResilienceConfig(1, null, null, null, null, null, null, null, null, null, null))
                        .build())
                .providerFactory("local", settings -> engine)
                .build();
    }

    @Test
    void inProcessProviderIsRoutedPricedFreeAndStreamed() {
        try (ModelGateway g = gateway()) {
            ModelResponse r = g.call(ModelRequest.completion("local/gpt-j-6b", "hi there"), CallContext.defaults());
            assertThat(r.text()).isEqualTo("echo: hi there");
            assertThat(r.cost()).isEqualByComparingTo("0");

            List<String> seen = new ArrayList<>();
            ModelResponse s = g.stream(ModelRequest.completion("local/gpt-j-6b", "x"), CallContext.defaults(), seen::add);
            assertThat(seen).containsExactly("one ", "two ", "three");
            assertThat(s.finishReason()).isEqualTo(FinishReason.LENGTH);

            assertThat(g.models()).extracting(ModelInfo::ref).containsExactly("local/gpt-j-6b");
        }
    }

    @Test
    void aProviderBugBecomesAProviderErrorWithoutLeakingItsBulkheadPermit() {
        try (ModelGateway g = gateway()) {
            engine.explodeOnce.set(true);
            assertThatThrownBy(() -> g.call(ModelRequest.completion("local/gpt-j-6b", "a"), CallContext.defaults()))
                    .isInstanceOf(GatewayException.ProviderError.class)
                    .hasMessageContaining("IllegalStateException")
                    .hasRootCauseMessage("engine bug");

            // the bulkhead has room for one call: it is free again
            assertThat(g.call(ModelRequest.completion("local/gpt-j-6b", "b"), CallContext.defaults()).text())
                    .isEqualTo("echo: b");
        }
    }

    @Test
    void aLocalProviderWithoutModelDirectoriesFailsTheBuildNamingTheSetting() {
        assertThatThrownBy(() -> ModelGateway.builder().config(GatewayConfig.builder()
                .provider("local", ProviderConfig.of(null, null, null)).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.local.options.models.<name>.path");
    }
}
