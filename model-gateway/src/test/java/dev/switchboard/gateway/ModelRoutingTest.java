package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Model refs, allow-lists, unknown models and config safety — no provider is called. */
class ModelRoutingTest {

    private final ModelGateway gateway = ModelGateway.builder().config(GatewayConfig.builder()
            .provider("openai", ProviderConfig.of(null, URI.create("http://127.0.0.1:1"), "sk-live-abcdef123456")
                    .withModels(List.of("gpt-4o-mini", "gpt-4o")))
            .provider("vllm", ProviderConfig.of(null, URI.create("http://127.0.0.1:2/v1"), null))
            .build()).build();

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void unknownProviderIsUnknownModelNamingKnownModels() {
        var e = catchThrowableOfType(GatewayException.UnknownModel.class,
                () -> gateway.call(ModelRequest.completion("cohere/command-r", "hi"), CallContext.defaults()));

        assertThat(e.knownModels()).containsExactly("openai/gpt-4o-mini", "openai/gpt-4o", "vllm/*");
        assertThat(e.getMessage()).contains("cohere/command-r").contains("openai/gpt-4o-mini");
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void modelOutsideTheAllowListIsUnknown() {
        assertThatThrownBy(() -> gateway.call(ModelRequest.completion("openai/gpt-3.5-turbo", "hi"),
                CallContext.defaults()))
                .isInstanceOf(GatewayException.UnknownModel.class);
    }

    @Test
    void unknownFallbackIsRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> gateway.call(ModelRequest.builder().model("openai/gpt-4o").fallbacks("nope/x")
                .prompt("hi").build(), CallContext.defaults()))
                .isInstanceOf(GatewayException.UnknownModel.class)
                .hasMessageContaining("nope/x");
    }

    @Test
    void listsRoutableModelsWithTypes() {
        assertThat(gateway.models()).containsExactly(
                new ModelInfo("openai/gpt-4o-mini", "openai", "gpt-4o-mini", "openai"),
                new ModelInfo("openai/gpt-4o", "openai", "gpt-4o", "openai"),
                new ModelInfo("vllm/*", "vllm", "*", "openai-compatible"));
    }

    @Test
    void invalidParametersNameTheField() {
        var e = catchThrowableOfType(GatewayException.InvalidRequest.class,
                () -> ModelRequest.builder().model("openai/gpt-4o").prompt("x").temperature(3.0).build());
        assertThat(e.field()).isEqualTo("temperature");
        assertThat(e.httpStatus()).isEqualTo(400);

        assertThat(catchThrowableOfType(GatewayException.InvalidRequest.class,
                () -> ModelRequest.builder().model("openai/gpt-4o").build()).field()).isEqualTo("messages");
        assertThat(catchThrowableOfType(GatewayException.InvalidRequest.class,
                () -> ModelRequest.builder().prompt("x").build()).field()).isEqualTo("model");
        assertThat(catchThrowableOfType(GatewayException.InvalidRequest.class,
                () -> ModelRequest.builder().model("a/b").prompt("x").maxTokens(0).build()).field()).isEqualTo("maxTokens");
        assertThat(catchThrowableOfType(GatewayException.InvalidRequest.class,
                () -> ChatMessage.Role.parse("wizard", "messages[1].role")).field()).isEqualTo("messages[1].role");
    }

    @Test
    void configToStringNeverShowsKeys() {
        ProviderConfig pc = ProviderConfig.of("openai", null, "sk-live-abcdef123456")
                .withEndpoints(List.of(new EndpointConfig(null, "sk-other-999999", 2)));
        assertThat(pc.toString()).doesNotContain("sk-live").doesNotContain("sk-other").contains("****");
        assertThat(GatewayConfig.builder().provider("openai", pc).build().toString()).doesNotContain("sk-");
        assertThat(Secret.of("sk-live-abcdef123456").toString()).doesNotContain("abcdef");
    }

    @Test
    void unknownProviderTypeFailsAtBuildNamingTheSetting() {
        assertThatThrownBy(() -> ModelGateway.builder().config(GatewayConfig.builder()
                        .provider("x", ProviderConfig.of("palm", URI.create("http://h"), null)).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.x.type");
    }
}
