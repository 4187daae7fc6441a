package dev.switchboard.gateway.internal.http;

/**
 * Server-sent events parser (WHATWG rules): {@code event:} and {@code data:} fields, multi-line data joined with
 * {@code \n}, comments ({@code :...}) ignored, an empty line dispatches. Not thread-safe: one per stream.
 */
public final class SseParser {

    /** Receives complete events. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param event the event name, or null when the event had no {@code event:} field
         * @param data  the data, lines joined with {@code \n}
         */
        void onEvent(String event, String data);
    }

    private final Listener listener;
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    /** Feeds one line without its terminator. */
    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            default -> {
                // id, retry and unknown fields carry nothing a model stream needs
            }
        }
    }

    /**
     * The body ended. A pending event without its closing blank line is still dispatched: some servers end the
     * body right after their last {@code data:} line.
     */
    public void finish() {
        dispatch();
    }

    private void dispatch() {
        if (hasData) {
            String name = event;
            String payload = data.toString();
            data.setLength(0);
            hasData = false;
            event = null;
            listener.onEvent(name, payload);
        } else {
            event = null;
        }
    }
}
