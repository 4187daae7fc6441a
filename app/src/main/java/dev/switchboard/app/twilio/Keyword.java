package dev.switchboard.app.twilio;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The carrier keywords Twilio's own opt-out handling knows, matched like Twilio does: the whole
 * message is one keyword, case-insensitive, surrounding whitespace (and trailing punctuation) ignored.
 * "STOP" opts out; "stop texting me" is an ordinary message.
 */
enum Keyword {
    /** STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE. */
    OPT_OUT("opt_out"),
    /** START, YES, UNSTOP. */
    OPT_IN("opt_in"),
    /** HELP, INFO. */
    HELP("help");

    private static final Map<String, Keyword> WORDS = Map.ofEntries(
            Map.entry("STOP", OPT_OUT), Map.entry("STOPALL", OPT_OUT), Map.entry("UNSUBSCRIBE", OPT_OUT),
            Map.entry("CANCEL", OPT_OUT), Map.entry("END", OPT_OUT), Map.entry("QUIT", OPT_OUT),
            Map.entry("OPTOUT", OPT_OUT), Map.entry("REVOKE", OPT_OUT),
            Map.entry("START", OPT_IN), Map.entry("YES", OPT_IN), Map.entry("UNSTOP", OPT_IN),
            Map.entry("HELP", HELP), Map.entry("INFO", HELP));

    private final String wire;

    Keyword(String wire) {
        this.wire = wire;
    }

    /** The {@code twilio_inbound.kind} of a message with this keyword. */
    String wire() {
        return wire;
    }

    /** Every word that is a keyword, upper case. */
    static Set<String> words() {
        return WORDS.keySet();
    }

    /** The keyword the whole body is, if it is one. */
    static Optional<Keyword> of(String body) {
        if (body == null) {
            return Optional.empty();
        }
        String word = body.strip();
        int end = word.length();
        while (end > 0 && ".!?".indexOf(word.charAt(end - 1)) >= 0) {
            end--;
        }
        word = word.substring(0, end).strip().toUpperCase(Locale.ROOT);
        if (word.length() > 11) {
            return Optional.empty();
        }
        return Optional.ofNullable(WORDS.get(word));
    }
}
