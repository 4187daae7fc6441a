package dev.switchboard.app.share;

import dev.switchboard.app.runs.RunEventSink;
import dev.switchboard.app.runs.RunViews.RunAccepted;
import dev.switchboard.app.runs.RunViews.RunView;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The public event stream of a share-page run: {@code run} ({@code {status, reference}}),
 * {@code token} ({@code {node, text}}, only from AI nodes whose text the page may show as it is
 * generated, see {@link StreamableNodes}) and finally {@code done} (a {@link PublicResult}).
 * Node events and traces never leave the server. A client that goes away does not stop the run.
 */
final class ShareStreamSink implements RunEventSink {

    private static final Logger log = LoggerFactory.getLogger(ShareStreamSink.class);

    private final SseEmitter emitter;
    private final Set<String> streamable;
    private final List<String> outputOrder;
    private long sequence;
    private boolean gone;

    ShareStreamSink(SseEmitter emitter, Set<String> streamable, List<String> outputOrder) {
        this.emitter = emitter;
        this.streamable = Set.copyOf(streamable);
        this.outputOrder = List.copyOf(outputOrder);
    }

    @Override
    public synchronized void event(String name, Object data) {
        switch (name) {
            case "run" -> {
                if (data instanceof RunAccepted accepted) {
                    send("run", Map.of("status", accepted.status(), "reference", accepted.id().toString()));
                }
            }
            case "token" -> {
                if (data instanceof Map<?, ?> token && token.get("nodeId") instanceof String node
                        && streamable.contains(node) && token.get("text") instanceof String text) {
                    send("token", Map.of("node", node, "text", text));
                }
            }
            default -> {
                // node events carry the trace: never public
            }
        }
    }

    @Override
    public synchronized void done(RunView run, boolean recorded) {
        send("done", PublicResult.of(run, outputOrder));
        if (!gone) {
            emitter.complete();
        }
    }

    private void send(String name, Object data) {
        if (gone) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().id(Long.toString(sequence++)).name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            gone = true;
            log.debug("Share page stream client went away: {}", e.toString());
        }
    }
}
