package dev.switchboard.gateway.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelInfo;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.spi.Endpoint;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderSettings;
import dev.switchboard.gateway.spi.ProviderStream;
import dev.switchboard.gptj.GenerationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code local} provider on inference-gptj's small random GPT-J fixture (real GPT-J vocabulary, fp16,
 * n_positions 1024): greedy output identical to HF transformers' reference, streaming, chat, token counts,
 * free pricing, model listing, context-length and configuration errors, cancellation.
 */
class LocalProviderTest {

    /** inference-gptj's fixtures (HF reference outputs included); tests run in the module directory. */
    static final Path FIXTURES = Path.of("../inference-gptj/src/test/resources/gptj");
    static final Path MODEL = FIXTURES.resolve("small-random-gptj-fp16");
    static final Path TOKENIZER = FIXTURES.resolve("tokenizer");

    private static ModelGateway gateway;

    static ProviderConfig localConfig(Map<String, String> extra) {
        Map<String, String> options = new java.util.HashMap<>(Map.of(
                "models.small.path", MODEL.toString(),
                "models.small.tokenizer", TOKENIZER.toString(),
                "threads", "1"));
        options.putAll(extra);
        return ProviderConfig.of(null, null, null).withOptions(options);
    }

    /** A gateway with the local provider serving the small fixture, plus {@code extra} options. */
    static ModelGateway localGateway(Map<String, String> extra) {
        return ModelGateway.builder().config(GatewayConfig.builder().provider("local", localConfig(extra)).build()).build();
    }

    @BeforeAll
    static void load() {
        gateway = localGateway(Map.of());
    }

    @AfterAll
    static void close() {
        gateway.close();
    }

    private static JsonNode reference(int index) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(MODEL.resolve("reference.json"))).get("cases").get(index);
    }

    private static ModelRequest greedy(String prompt, int maxTokens) {
        return ModelRequest.builder().model("local/small").prompt(prompt).maxTokens(maxTokens).temperature(0.0).build();
    }

    @Test
    void greedyCompletionIsIdenticalToHfTransformers() throws Exception {
        for (int i = 0; i < 3; i++) {
            JsonNode ref = reference(i);

            ModelResponse r = gateway.call(greedy(ref.get("prompt").asString(), 20), CallContext.defaults());

            assertThat(r.text()).as(ref.get("prompt").asString()).isEqualTo(ref.get("greedy_20_text").asString());
            assertThat(r.usage().inputTokens()).isEqualTo(ref.get("input_ids").size());
            assertThat(r.usage().outputTokens()).isEqualTo(20);
            assertThat(r.usage().estimated()).isFalse();
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(r.provider()).isEqualTo("local");
            assertThat(r.model()).isEqualTo("small");
            assertThat(r.cost()).isEqualByComparingTo("0");
        }
    }

    @Test
    void streamedDeltasAddUpToTheSameText() throws Exception {
        JsonNode ref = reference(0);
        List<String> deltas = new ArrayList<>();

        ModelResponse r = gateway.stream(greedy(ref.get("prompt").asString(), 20), CallContext.defaults(), deltas::add);

        assertThat(deltas.size()).isGreaterThan(5);
        assertThat(String.join("", deltas)).isEqualTo(ref.get("greedy_20_text").asString()).isEqualTo(r.text());
        assertThat(r.usage().outputTokens()).isEqualTo(20);
    }

    @Test
    void chatIsRenderedAsATranscriptAndIsDeterministicWhenGreedy() {
        ModelRequest chat = ModelRequest.builder().model("local/small").maxTokens(12).temperature(0.0)
                .messages(List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hello world"))).build();

        ModelResponse first = gateway.call(chat, CallContext.defaults());
        ModelResponse second = gateway.call(chat, CallContext.defaults());

        assertThat(first.text()).isEqualTo(second.text()).doesNotStartWith(" ");
        assertThat(first.usage().inputTokens()).isEqualTo(gateway.call(greedy(ChatTranscript.render(chat.messages()), 1),
                CallContext.defaults()).usage().inputTokens());
        assertThat(ChatTranscript.render(chat.messages())).isEqualTo("You are terse.\n\nUser: Hello world\nAssistant:");
    }

    @Test
    void seededSamplingIsReproducible() {
        ModelRequest sampled = ModelRequest.builder().model("local/small").prompt("Hello world").maxTokens(10)
                .temperature(0.9).topK(40).topP(0.95).seed(7L).build();

        assertThat(gateway.call(sampled, CallContext.defaults()).text())
                .isEqualTo(gateway.call(sampled, CallContext.defaults()).text());
    }

    @Test
    void listsItsConfiguredModelsAndRejectsOthers() {
        assertThat(gateway.models()).containsExactly(new ModelInfo("local/small", "local", "small", "local"));
        assertThatThrownBy(() -> gateway.call(greedy("x", 1).toBuilder().model("local/other").build(), CallContext.defaults()))
                .isInstanceOf(GatewayException.UnknownModel.class).hasMessageContaining("local/small");
    }

    @Test
    void aPromptLongerThanTheContextWindowIsAContextLengthError() {
        String tooLong = "hello ".repeat(1100);

        assertThatThrownBy(() -> gateway.call(greedy(tooLong, 4), CallContext.defaults()))
                .isInstanceOf(GatewayException.ContextLengthExceeded.class)
                .hasMessageContaining("context window of 1024 tokens");
    }

    @Test
    void cancellingAStreamStopsTheGeneration() throws Exception {
        LocalProvider provider = new LocalProvider(new ProviderSettings("local", "local",
                localConfig(Map.of("max-batch-size", "1")), 1024, Clock.systemUTC()));
        try {
            ModelRequest longOne = greedy("Hello world", 1000);
            ProviderStream stream = provider.stream(new ProviderCall(longOne, "small",
                    new Endpoint("local#0", null, null, 1), "ws"));

            assertThat(stream.poll(Duration.ofSeconds(30))).isInstanceOf(ProviderStream.Delta.class);
            List<CompletableFuture<GenerationResult>> running = provider.running();
            assertThat(running).hasSize(1);
            stream.cancel();

            GenerationResult result = running.getFirst().get(30, TimeUnit.SECONDS);
            assertThat(result.finishReason()).isEqualTo(dev.switchboard.gptj.FinishReason.CANCELLED);
            assertThat(result.completionTokens()).isLessThan(1000);
            assertThat(provider.running()).isEmpty();
        } finally {
            provider.close();
        }
    }

    @Test
    void aMissingCheckpointFailsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> localGateway(Map.of("models.small.path", "/nonexistent/gptj")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.local.options.models.small.path")
                .hasMessageContaining("/nonexistent/gptj");
        assertThatThrownBy(() -> localGateway(Map.of("models.small.threads", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.local.options.models.small.threads");
        assertThatThrownBy(() -> localGateway(Map.of("models.small.int8-activations", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.local.options.models.small.int8-activations")
                .hasMessageContaining("needs int8: true");
        assertThatThrownBy(() -> localGateway(Map.of("models.small.kv-cache", "fp8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.local.options.models.small.kv-cache")
                .hasMessageContaining("must be f32 or bf16 (was 'fp8')");
        assertThatThrownBy(() -> localGateway(Map.of("warm-up", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.local.options.models.small.warm-up")
                .hasMessageContaining("must be true or false");
    }

    @Test
    void warmUpCanBeTurnedOff() {
        try (ModelGateway cold = localGateway(Map.of("warm-up", "false"))) {
            assertThat(cold.call(greedy("The capital of France is", 4), CallContext.defaults()).text()).isNotBlank();
        }
    }

    @Test
    void int8ActivationsAreAnOptionOfInt8ModelsAndServeDeterministicText() {
        try (ModelGateway w8a8 = localGateway(Map.of("int8", "true", "int8-activations", "true"))) {
            String first = w8a8.call(greedy("The capital of France is", 12), CallContext.defaults()).text();
            String second = w8a8.call(greedy("The capital of France is", 12), CallContext.defaults()).text();
            assertThat(first).isNotBlank().isEqualTo(second);
        }
    }

    @Test
    void aBf16KvCacheServesTheSameGreedyTextAsTheExactOne() {
        String exact = gateway.call(greedy("The capital of France is", 12), CallContext.defaults()).text();
        try (ModelGateway bf16 = localGateway(Map.of("kv-cache", "bf16"))) {
            assertThat(bf16.call(greedy("The capital of France is", 12), CallContext.defaults()).text()).isEqualTo(exact);
        }
    }
}
