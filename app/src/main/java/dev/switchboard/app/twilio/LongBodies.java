package dev.switchboard.app.twilio;

import dev.switchboard.app.twilio.TwilioProperties.LongBodyPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The long-body policy. Twilio refuses bodies over 1,600 characters (error 21617), so:
 * <ul>
 *   <li>{@code split} (default): consecutive messages of at most 1,600 characters each, cut at the
 *       last whitespace before the limit (mid-word only when a word is longer than a message),
 *       at most {@code max-parts} of them; if the text is longer still, the last part ends in
 *       {@code …} and the rest is dropped;</li>
 *   <li>{@code truncate}: one message, the first 1,599 characters and {@code …}.</li>
 * </ul>
 * Characters are counted as Java {@code char}s (UTF-16 code units, what Twilio's limit counts, an
 * emoji being two); a surrogate pair is never cut in half. Whitespace at a cut is dropped.
 */
final class LongBodies {

    static final String ELLIPSIS = "…";

    private LongBodies() {
    }

    static List<String> apply(String body, LongBodyPolicy policy, int maxParts) {
        return apply(body, policy, maxParts, TwilioProperties.MAX_BODY);
    }

    static List<String> apply(String body, LongBodyPolicy policy, int maxParts, int limit) {
        if (body.length() <= limit) {
            return List.of(body);
        }
        return switch (policy) {
            case TRUNCATE -> List.of(truncate(body, limit));
            case SPLIT -> split(body, maxParts, limit);
        };
    }

    private static List<String> split(String body, int maxParts, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = body;
        while (!rest.isEmpty()) {
            if (rest.length() <= limit) {
                parts.add(rest);
                break;
            }
            if (parts.size() == maxParts - 1) {
                parts.add(truncate(rest, limit));
                break;
            }
            int cut = cutPoint(rest, limit);
            parts.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        return List.copyOf(parts);
    }

    /** Where to end a part of at most {@code limit} chars: after the last whitespace, else at the limit. */
    private static int cutPoint(String text, int limit) {
        for (int i = limit; i > limit / 2; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return safeCut(text, limit);
    }

    private static String truncate(String text, int limit) {
        int cut = safeCut(text, limit - ELLIPSIS.length());
        return text.substring(0, cut).stripTrailing() + ELLIPSIS;
    }

    /** {@code at}, or one less when that would split a surrogate pair. */
    private static int safeCut(String text, int at) {
        return Character.isLowSurrogate(text.charAt(at)) && Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
    }
}
