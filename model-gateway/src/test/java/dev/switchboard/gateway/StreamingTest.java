package dev.switchboard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams: retry and fallback only before the first text; afterwards an explicit error, never a clean end. */
class StreamingTest extends GatewayTestSupport {

    private static final String FIRST_TOKEN = sse(List.of("Hel"), false);

    @Test
    void streamCutAfterTheFirstTokenIsAnErrorEventNotACleanEnd() throws Exception {
        try (CutStreamServer cut = new CutStreamServer(FIRST_TOKEN)) {
            answer("b", "from b", 1, 1);
            ModelGateway g = gateway(config()
                    .provider("cut", ProviderConfig.of("openai-compatible", URI.create(cut.baseUrl()), null))
                    .price("cut/m", ModelPrice.of("1000000", "1000000")).build());
            budgets.limit("w", new BigDecimal("1000000000"));
            List<String> seen = new ArrayList<>();

            var e = catchThrowableOfType(GatewayException.StreamInterrupted.class, () -> g.stream(
                    ModelRequest.builder().models(List.of("cut/m", "b/gpt-4o-mini")).messages(List.of(
                            ChatMessage.user("Hello"))).build(), CallContext.of("w"), seen::add));

            assertThat(seen).containsExactly("Hel");
            assertThat(e.partialText()).isEqualTo("Hel");
            assertThat(e.getCause()).isInstanceOf(GatewayException.ProviderError.class);
            assertThat(cut.requests()).isEqualTo(1);
            assertThat(requests("b")).as("no fallback after text reached the caller").isZero();
            assertThat(meters.get("switchboard.gateway.stream.interruptions").counter().count()).isEqualTo(1.0);
            // the partial answer is still paid for: estimated input (3+4+2) + output (1) tokens at 1 USD each
            assertThat(budgets.spent("w")).isEqualByComparingTo("10");
        }
    }

    @Test
    void failureBeforeTheFirstTokenIsRetriedThenFallsBack() {
        fail("a", 503);
        stub("b", aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse(List.of("B1", "B2"), true)));
        ModelGateway g = gateway(config().build());
        List<String> seen = new ArrayList<>();

        ModelResponse r = g.stream(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults(), seen::add);

        assertThat(seen).containsExactly("B1", "B2");
        assertThat(r.provider()).isEqualTo("b");
        assertThat(r.usage()).isEqualTo(Usage.provider(10, 2));
        assertThat(requests("a")).isEqualTo(3);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void silenceAfterTheFirstTokenEndsInAnIdleTimeoutError() throws Exception {
        try (CutStreamServer stalled = new CutStreamServer(FIRST_TOKEN, true)) {
            ModelGateway g = gateway(GatewayConfig.builder().provider("s", ProviderConfig.of("openai-compatible",
                    URI.create(stalled.baseUrl()), null).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)))
                    .resilience(resilience()).build());

            var e = catchThrowableOfType(GatewayException.StreamInterrupted.class,
                    () -> g.stream(ask("s/m"), CallContext.defaults(), t -> { }));

            assertThat(e.getCause()).isInstanceOf(GatewayException.Timeout.class);
            assertThat(e.partialText()).isEqualTo("Hel");
        }
    }

    @Test
    void streamWithoutUsageGetsEstimatedUsage() {
        stub("a", aResponse().withHeader("Content-Type", "text/event-stream").withBody(
                sse(List.of("abcd", "efgh"), false) + "data: [DONE]\n\n"));
        ModelGateway g = gateway(config().build());

        ModelResponse r = g.stream(ask("a/gpt-4o-mini"), CallContext.defaults(), t -> { });

        assertThat(r.usage().source()).isEqualTo(Usage.Source.ESTIMATED);
        assertThat(r.usage().outputTokens()).isEqualTo(2);
        assertThat(r.text()).isEqualTo("abcdefgh");
    }

    @Test
    void publisherEmitsDeltasThenCompletedThenCompletes() throws Exception {
        stub("a", aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse(List.of("x", "y"), true)));
        ModelGateway g = gateway(config().build());
        Recorder recorder = new Recorder();

        g.streamPublisher(ask("a/gpt-4o-mini"), CallContext.defaults()).subscribe(recorder);

        assertThat(recorder.done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.items).hasSize(3);
        assertThat(recorder.items.subList(0, 2)).containsExactly(new StreamEvent.Delta("x"), new StreamEvent.Delta("y"));
        assertThat(recorder.items.get(2)).isInstanceOfSatisfying(StreamEvent.Completed.class,
                c -> assertThat(c.response().text()).isEqualTo("xy"));
        assertThat(recorder.completed).isTrue();
        assertThat(recorder.error.get()).isNull();
    }

    @Test
    void publisherSignalsACutStreamAsAnErrorNeverAsCompletion() throws Exception {
        try (CutStreamServer cut = new CutStreamServer(FIRST_TOKEN)) {
            ModelGateway g = gateway(GatewayConfig.builder().provider("cut", ProviderConfig.of("openai-compatible",
                    URI.create(cut.baseUrl()), null)).resilience(resilience()).build());
            Recorder recorder = new Recorder();

            g.streamPublisher(ask("cut/m"), CallContext.defaults()).subscribe(recorder);

            assertThat(recorder.done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(recorder.items).containsExactly(new StreamEvent.Delta("Hel"));
            assertThat(recorder.completed).isFalse();
            assertThat(recorder.error.get()).isInstanceOf(GatewayException.StreamInterrupted.class);
        }
    }

    @Test
    void listenerFailureCancelsTheUpstreamAndPropagates() {
        stub("a", aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse(List.of("x", "y"), true)));
        ModelGateway g = gateway(config().build());

        assertThatThrownBy(() -> g.stream(ask("a/gpt-4o-mini"), CallContext.defaults(), t -> {
            throw new IllegalStateException("client went away");
        })).isInstanceOf(IllegalStateException.class).hasMessage("client went away");
    }

    @Test
    void interruptingTheCallerCancelsTheStream() throws Exception {
        try (CutStreamServer stalled = new CutStreamServer(FIRST_TOKEN, true)) {
            ModelGateway g = gateway(GatewayConfig.builder().provider("s", ProviderConfig.of("openai-compatible",
                    URI.create(stalled.baseUrl()), null)).resilience(resilience()).build());
            CountDownLatch firstToken = new CountDownLatch(1);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    g.stream(ask("s/m"), CallContext.defaults(), t -> firstToken.countDown());
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });

            assertThat(firstToken.await(5, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            assertThat(caller.join(Duration.ofSeconds(5))).isTrue();
            assertThat(outcome.get()).isInstanceOf(GatewayException.Cancelled.class);
        }
    }

    /** A subscriber that requests one item at a time and records everything. */
    private static final class Recorder implements Flow.Subscriber<StreamEvent> {
        final List<StreamEvent> items = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean completed;
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(StreamEvent item) {
            items.add(item);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            done.countDown();
        }

        @Override
        public void onComplete() {
            completed = true;
            done.countDown();
        }
    }
}
