package dev.switchboard.app.runs;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One server-sent-event stream as the run sinks write it: numbered events ({@code id} 0, 1, ...) with
 * JSON data; once the client has gone away (a failed write), later events are dropped quietly — the
 * run goes on and is recorded as usual. Not thread-safe: the sinks call it under their own lock.
 */
public final class SseChannel {

    private static final Logger log = LoggerFactory.getLogger(SseChannel.class);

    private final SseEmitter emitter;
    private final String what;
    private long sequence;
    private boolean gone;

    /** {@code what}: names the stream in the debug line written when its client goes away. */
    public SseChannel(SseEmitter emitter, String what) {
        this.emitter = emitter;
        this.what = what;
    }

    public void send(String name, Object data) {
        if (gone) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().id(Long.toString(sequence++)).name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            gone = true;
            log.debug("{} client went away: {}", what, e.toString());
        }
    }

    /** Ends the stream, unless its client is gone already. */
    public void complete() {
        if (!gone) {
            emitter.complete();
        }
    }
}
