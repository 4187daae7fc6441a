package dev.switchboard.engine;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An in-process model: answers via a function of the call, records calls, streams word by word. */
final class FakeModelClient implements ModelClient {

    final List<ModelCall> calls = new CopyOnWriteArrayList<>();
    final List<ModelCallContext> contexts = new CopyOnWriteArrayList<>();
    private final Function<ModelCall, String> answer;

    FakeModelClient(Function<ModelCall, String> answer) {
        this.answer = answer;
    }

    static FakeModelClient answering(String text) {
        return new FakeModelClient(c -> text);
    }

    @Override
    public ModelResult call(ModelCall call, ModelCallContext ctx) throws InterruptedException {
        calls.add(call);
        contexts.add(ctx);
        String text = answer.apply(call);
        if (ctx.tokenSink() != null) {
            for (String piece : text.split("(?<= )")) {
                ctx.tokenSink().accept(piece);
            }
        }
        int in = call.prompt() == null ? 10 : call.prompt().length() / 4;
        return new ModelResult(text, "stop", new TokenUsage(in, text.length() / 4, true), "fake",
                call.model().substring(call.model().indexOf('/') + 1), new BigDecimal("0.0001"), Duration.ofMillis(1));
    }
}
