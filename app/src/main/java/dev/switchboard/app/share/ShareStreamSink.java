package dev.switchboard.app.share;

import dev.switchboard.app.runs.RunEventSink;
import dev.switchboard.app.runs.RunViews.RunAccepted;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.runs.SseChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The public event stream of a share-page run: {@code run} ({@code {status, reference}}),
 * {@code token} ({@code {node, text}}, only from AI nodes whose text the page may show as it is
 * generated, see {@link StreamableNodes}) and finally {@code done} (a {@link PublicResult}).
 * Node events and traces never leave the server. A client that goes away does not stop the run.
 */
final class ShareStreamSink implements RunEventSink {

    private final SseChannel channel;
    private final Set<String> streamable;
    private final List<String> outputOrder;

    ShareStreamSink(SseEmitter emitter, Set<String> streamable, List<String> outputOrder) {
        this.channel = new SseChannel(emitter, "Share page stream");
        this.streamable = Set.copyOf(streamable);
        this.outputOrder = List.copyOf(outputOrder);
    }

    @Override
    public synchronized void event(String name, Object data) {
        switch (name) {
            case "run" -> {
                if (data instanceof RunAccepted accepted) {
                    channel.send("run", Map.of("status", accepted.status(), "reference", accepted.id().toString()));
                }
            }
            case "token" -> {
                if (data instanceof Map<?, ?> token && token.get("nodeId") instanceof String node
                        && streamable.contains(node) && token.get("text") instanceof String text) {
                    channel.send("token", Map.of("node", node, "text", text));
                }
            }
            default -> {
                // node events carry the trace: never public
            }
        }
    }

    @Override
    public synchronized void done(RunView run, boolean recorded) {
        channel.send("done", PublicResult.of(run, outputOrder));
        channel.complete();
    }
}
