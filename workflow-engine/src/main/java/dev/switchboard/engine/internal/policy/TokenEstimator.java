package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.policy.TokenCounter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Estimates byte-level BPE token counts (GPT-2/GPT-J vocabulary) without the vocabulary: the text
 * is split with GPT-2's own pre-tokenizer pattern and each piece is costed by what it is made of.
 * The weights were fitted against the GPT-J tokenizer (see {@code TokenEstimatorCalibration} in the
 * tests). Public only so that {@link TokenCounter#estimating()} can return it.
 */
public final class TokenEstimator implements TokenCounter {

    public static final TokenEstimator INSTANCE = new TokenEstimator();

    /** GPT-2's pre-tokenizer: contractions, words/numbers/punctuation with one leading space, whitespace. */
    private static final Pattern PIECES = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private TokenEstimator() {
    }

    @Override
    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        Matcher m = PIECES.matcher(text);
        double tokens = 0;
        while (m.find()) {
            tokens += piece(text, m.start(), m.end());
        }
        return (int) Math.ceil(tokens);
    }

    private static double piece(String s, int from, int to) {
        char first = s.charAt(from);
        boolean space = first == ' ' && to - from > 1;
        int start = space ? from + 1 : from;
        int len = to - start;
        char c = s.charAt(start);
        if (c == '\'' && len <= 3) {
            return 1;
        }
        if (Character.isWhitespace(c)) {
            return whitespace(s, start, to);
        }
        if (Character.isLetter(c)) {
            return letters(s, start, to, space);
        }
        if (Character.isDigit(c)) {
            return Math.ceil(len / 3.0);
        }
        return Math.ceil(utf8Bytes(s, start, to) / 2.0);
    }

    private static double whitespace(String s, int from, int to) {
        int newlines = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '\n') {
                newlines++;
            }
        }
        int others = to - from - newlines;
        return Math.ceil(newlines / 2.0) + others;
    }

    private static double letters(String s, int from, int to, boolean leadingSpace) {
        int len = to - from;
        int ascii = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < 0x80) {
                ascii++;
            }
        }
        if (ascii == len) {
            boolean lower = Character.isLowerCase(s.charAt(from));
            int common = leadingSpace ? (lower ? 9 : 6) : 4;
            return len <= common ? 1 : 1 + Math.ceil((len - common) / 4.0);
        }
        // non-ASCII scripts: byte-level merges are sparse; about one token per 2-3 UTF-8 bytes
        return Math.max(1, utf8Bytes(s, from, to) / 2.5);
    }

    private static int utf8Bytes(String s, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
