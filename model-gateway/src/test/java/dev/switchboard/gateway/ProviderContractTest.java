package dev.switchboard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract every provider meets, checked against a loopback fake replaying the provider's documented wire
 * format: success with usage, streaming (deltas in order, usage, only the end marker ends cleanly), every error
 * status mapped to its error type, and auth failures that never show the key. Each provider's test extends this
 * and supplies its wire format.
 */
public abstract class ProviderContractTest {

    protected static final String KEY = "sk-test-SECRET-0123456789abcdef";
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    protected static final WireMockExtension WIRE = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    protected ModelGateway gateway;

    // ------------------------------------------------------------------ what each provider supplies

    /** The provider type under test. */
    protected abstract String type();

    /** A model name of the provider. */
    protected abstract String model();

    /** The URL path a chat request goes to. */
    protected abstract String chatPath();

    /** A documented successful chat answer with the given text and usage. */
    protected abstract String chatResponse(String text, int inputTokens, int outputTokens);

    /** A documented SSE stream of {@code pieces}, its usage and end marker. */
    protected abstract String streamResponse(List<String> pieces, int inputTokens, int outputTokens);

    /** The same stream without its end marker: the connection just ends after the pieces. */
    protected abstract String streamResponseWithoutEnd(List<String> pieces);

    /** A documented error body for {@code status}. */
    protected abstract String errorBody(int status, String message);

    /** The error body the provider sends when the input is longer than the context window. */
    protected abstract String contextLengthErrorBody();

    /** Asserts that the request carries the key the way the provider expects. */
    protected abstract void assertAuthenticated(LoggedRequest request, String key);

    /** Asserts the provider-specific request body for {@link #sampleRequest()}. */
    protected abstract void assertChatWire(JsonNode body);

    protected ProviderConfig providerConfig(URI baseUrl) {
        return ProviderConfig.of(type(), baseUrl, KEY);
    }

    // ------------------------------------------------------------------ harness

    @BeforeEach
    void buildGateway() {
        gateway = gateway(providerConfig(URI.create(WIRE.baseUrl())));
    }

    @AfterEach
    void closeGateway() {
        gateway.close();
    }

    protected ModelGateway gateway(ProviderConfig config) {
        return ModelGateway.builder()
                .config(GatewayConfig.builder()
                        .provider("p", config)
                        .resilience(new ResilienceConfig(1, null, null, null, null, null, null, null, null, null, null))
                        .build())
                .sleeper(d -> { })
                .build();
    }

    protected String ref() {
        return "p/" + model();
    }

    protected ModelRequest sampleRequest() {
        return ModelRequest.builder().model(ref())
                .messages(List.of(ChatMessage.system("You are terse."), ChatMessage.user("Say hello")))
                .maxTokens(64).temperature(0.5).topP(0.9).stop(List.of("END")).build();
    }

    protected void stubChat(int status, String contentType, String body) {
        WIRE.stubFor(post(urlPathEqualTo(chatPath()))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body)));
    }

    protected JsonNode lastRequestBody() {
        List<LoggedRequest> requests = WIRE.findAll(postRequestedFor(urlPathEqualTo(chatPath())));
        assertThat(requests).isNotEmpty();
        return JSON.readTree(requests.getLast().getBodyAsString());
    }

    // ------------------------------------------------------------------ the contract

    @Test
    void chatReturnsTextFinishReasonAndProviderUsage() {
        stubChat(200, "application/json", chatResponse("Hello there!", 21, 4));

        ModelResponse r = gateway.call(sampleRequest(), CallContext.defaults());

        assertThat(r.text()).isEqualTo("Hello there!");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(Usage.provider(21, 4));
        assertThat(r.provider()).isEqualTo("p");
        assertThat(r.model()).startsWith(model());
        assertThat(r.cached()).isFalse();
        assertThat(r.latency()).isPositive();
    }

    @Test
    void sendsMessagesParametersAndKeyOnTheWire() {
        stubChat(200, "application/json", chatResponse("ok", 1, 1));

        gateway.call(sampleRequest(), CallContext.defaults());

        LoggedRequest sent = WIRE.findAll(postRequestedFor(urlPathEqualTo(chatPath()))).getLast();
        assertAuthenticated(sent, KEY);
        assertChatWire(JSON.readTree(sent.getBodyAsString()));
    }

    @Test
    void streamDeliversDeltasInOrderThenUsage() {
        List<String> pieces = List.of("Hel", "lo", " there", "!");
        stubChat(200, "text/event-stream", streamResponse(pieces, 12, 4));
        List<String> seen = new ArrayList<>();

        ModelResponse r = gateway.stream(sampleRequest(), CallContext.defaults(), seen::add);

        assertThat(seen).containsExactlyElementsOf(pieces);
        assertThat(r.text()).isEqualTo("Hello there!");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(Usage.provider(12, 4));
    }

    @Test
    void streamRequestAsksTheProviderToStream() {
        stubChat(200, "text/event-stream", streamResponse(List.of("a"), 1, 1));

        gateway.stream(sampleRequest(), CallContext.defaults(), t -> { });

        assertThat(lastRequestBody().path("stream").asBoolean(false)).isTrue();
    }

    @Test
    void streamCutAfterFirstTokenIsAnErrorNotACleanEnd() {
        stubChat(200, "text/event-stream", streamResponseWithoutEnd(List.of("Hel", "lo")));
        List<String> seen = new ArrayList<>();

        var e = catchThrowableOfType(GatewayException.StreamInterrupted.class,
                () -> gateway.stream(sampleRequest(), CallContext.defaults(), seen::add));

        assertThat(seen).containsExactly("Hel", "lo");
        assertThat(e.partialText()).isEqualTo("Hello");
        assertThat(e.retriable()).isTrue();
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(400, GatewayException.InvalidRequest.class),
                Arguments.of(401, GatewayException.AuthFailed.class),
                Arguments.of(403, GatewayException.AuthFailed.class),
                Arguments.of(404, GatewayException.ModelNotFound.class),
                Arguments.of(408, GatewayException.Timeout.class),
                Arguments.of(409, GatewayException.ProviderError.class),
                Arguments.of(422, GatewayException.InvalidRequest.class),
                Arguments.of(429, GatewayException.RateLimited.class),
                Arguments.of(500, GatewayException.ProviderError.class),
                Arguments.of(502, GatewayException.ProviderError.class),
                Arguments.of(503, GatewayException.ProviderError.class),
                Arguments.of(529, GatewayException.ProviderError.class));
    }

    @ParameterizedTest(name = "HTTP {0} → {1}")
    @MethodSource("statuses")
    void mapsEveryErrorStatusToItsErrorType(int status, Class<? extends GatewayException> expected) {
        stubChat(status, "application/json", errorBody(status, "something about the request"));

        var e = catchThrowableOfType(GatewayException.class,
                () -> gateway.call(sampleRequest(), CallContext.defaults()));

        assertThat(e).isInstanceOf(expected);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.provider()).isEqualTo("p");
        assertThat(e.retriable()).isEqualTo(GatewayException.Retriable.class.isAssignableFrom(expected));
    }

    @ParameterizedTest(name = "streamed HTTP {0} → {1}")
    @MethodSource("statuses")
    void mapsErrorStatusOfAStreamBeforeAnyTextToItsErrorType(int status, Class<? extends GatewayException> expected) {
        stubChat(status, "application/json", errorBody(status, "something about the request"));
        List<String> seen = new ArrayList<>();

        var e = catchThrowableOfType(GatewayException.class,
                () -> gateway.stream(sampleRequest(), CallContext.defaults(), seen::add));

        assertThat(e).isInstanceOf(expected);
        assertThat(seen).isEmpty();
    }

    @Test
    void contextLengthErrorIsItsOwnType() {
        stubChat(400, "application/json", contextLengthErrorBody());

        assertThatThrownBy(() -> gateway.call(sampleRequest(), CallContext.defaults()))
                .isInstanceOf(GatewayException.ContextLengthExceeded.class);
    }

    @Test
    void authFailureMessageNeverContainsTheKey() {
        stubChat(401, "application/json", errorBody(401, "Incorrect API key provided: " + KEY + " is not valid"));

        var e = catchThrowableOfType(GatewayException.AuthFailed.class,
                () -> gateway.call(sampleRequest(), CallContext.defaults()));

        assertThat(e.getMessage()).contains("rejected the credentials").doesNotContain(KEY)
                .doesNotContain("SECRET-0123456789");
        assertThat(e.toString()).doesNotContain(KEY);
        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void rateLimitCarriesTheRetryAfterHeader() {
        WIRE.stubFor(post(urlPathEqualTo(chatPath())).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", "7")
                .withBody(errorBody(429, "Too many requests"))));

        var e = catchThrowableOfType(GatewayException.RateLimited.class,
                () -> gateway.call(sampleRequest(), CallContext.defaults()));

        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void connectionRefusedIsRetriableUnavailable() {
        ModelGateway nowhere = gateway(providerConfig(URI.create("http://127.0.0.1:1")));
        try {
            assertThatThrownBy(() -> nowhere.call(sampleRequest(), CallContext.defaults()))
                    .isInstanceOf(GatewayException.Unavailable.class);
        } finally {
            nowhere.close();
        }
    }
}
