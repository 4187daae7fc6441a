package dev.switchboard.app.twilio;

import java.util.List;

/** TwiML answers to Twilio's messaging webhook: empty, or {@code <Message>} replies. */
final class Twiml {

    /** Acknowledges a message without replying. */
    static final String EMPTY = "<Response/>";

    /** Content type of every TwiML answer. */
    static final String CONTENT_TYPE = "text/xml;charset=UTF-8";

    private Twiml() {
    }

    /**
     * A reply to the sender.
     *
     * @param body the text
     * @param statusCallback where Twilio reports the reply's status ({@code action}); null for none
     */
    record Reply(String body, String statusCallback) {
    }

    static String of(List<Reply> replies) {
        if (replies.isEmpty()) {
            return EMPTY;
        }
        StringBuilder xml = new StringBuilder("<Response>");
        for (Reply reply : replies) {
            xml.append("<Message");
            if (reply.statusCallback() != null) {
                xml.append(" action=\"").append(escape(reply.statusCallback())).append("\" method=\"POST\"");
            }
            xml.append('>').append(escape(reply.body())).append("</Message>");
        }
        return xml.append("</Response>").toString();
    }

    static String message(String body) {
        return body == null || body.isBlank() ? EMPTY : of(List.of(new Reply(body, null)));
    }

    /** XML text/attribute escaping; drops characters XML 1.0 cannot carry (most control characters). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (c != 0xFFFE && c != 0xFFFF) {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out.toString();
    }
}
