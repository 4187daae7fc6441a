package dev.switchboard.app.openai;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes OpenAI's server-sent events on the request thread: {@code data: <json>\n\n} per chunk,
 * flushed at once, and {@code data: [DONE]\n\n} at a clean end. Nothing is written (and the
 * status is not committed) until {@link #start()}, so a request that fails before its first
 * token still gets a proper HTTP error. Not thread-safe: one request, one thread.
 */
final class SseChunkWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    /** The client closed the connection; the gateway cancels the upstream call when a listener throws this. */
    static final class ClientGoneException extends UncheckedIOException {
        ClientGoneException(IOException cause) {
            super("the client closed the stream", cause);
        }
    }

    private final HttpServletResponse response;
    private final JsonMapper json;
    private OutputStream out;

    SseChunkWriter(HttpServletResponse response, JsonMapper json) {
        this.response = response;
        this.json = json;
    }

    boolean started() {
        return out != null;
    }

    /** Commits 200 and the event-stream headers. */
    void start() {
        if (out != null) {
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // proxies must not hold chunks back
        try {
            out = response.getOutputStream();
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    void data(Object chunk) {
        start();
        write(DATA, json.writeValueAsBytes(chunk), END);
    }

    /** The explicit error event of a stream that failed after it started; no {@code [DONE]} follows. */
    void error(OpenAiError error) {
        data(Map.of("error", error.errorObject()));
    }

    void done() {
        start();
        write(DONE);
    }

    private void write(byte[]... parts) {
        try {
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
