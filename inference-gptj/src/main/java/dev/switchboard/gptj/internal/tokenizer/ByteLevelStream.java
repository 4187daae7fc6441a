package dev.switchboard.gptj.internal.tokenizer;

/**
 * {@link TextStream} over token bytes: a streaming UTF-8 decoder that holds the bytes of an unfinished
 * character back. Malformed input becomes U+FFFD exactly as Rust's {@code String::from_utf8_lossy}
 * (which HF tokenizers use) does: one replacement per maximal subpart of an ill-formed sequence
 * (Unicode §3.9, "U+FFFD substitution of maximal subparts").
 */
final class ByteLevelStream implements TextStream {

    private final TokenBytes table;
    private byte[] pending = new byte[8]; // bytes of an unfinished character (at most 3)
    private int pendingLen;

    ByteLevelStream(TokenBytes table) {
        this.table = table;
    }

    @Override
    public String push(int id) {
        byte[] b = table.of(id);
        if (b == null || b.length == 0) {
            return "";
        }
        byte[] all = new byte[pendingLen + b.length];
        System.arraycopy(pending, 0, all, 0, pendingLen);
        System.arraycopy(b, 0, all, pendingLen, b.length);
        return decode(all, false);
    }

    @Override
    public String finish() {
        byte[] rest = java.util.Arrays.copyOf(pending, pendingLen);
        return decode(rest, true);
    }

    private String decode(byte[] in, boolean endOfInput) {
        StringBuilder out = new StringBuilder(in.length);
        int i = 0;
        pendingLen = 0;
        while (i < in.length) {
            int b0 = in[i] & 0xff;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need = sequenceLength(b0);
            if (need == 0) {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int j = 1;
            while (j < need && i + j < in.length && continuationOk(b0, j, in[i + j] & 0xff)) {
                j++;
            }
            if (j == need) {
                out.appendCodePoint(codePoint(in, i, need));
                i += need;
            } else if (i + j == in.length && !endOfInput) {
                // A valid prefix cut off by the end of the bytes so far: wait for the next token.
                System.arraycopy(in, i, pending, 0, j);
                pendingLen = j;
                i += j;
            } else {
                out.append('\uFFFD'); // maximal subpart; the offending byte starts anew
                i += j;
            }
        }
        return out.toString();
    }

    /** Length of the sequence a lead byte starts, or 0 if it cannot start one. */
    private static int sequenceLength(int b0) {
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            return 2;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF) {
            return 3;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether byte {@code j} (1-based after the lead) may follow lead {@code b0} (Unicode Table 3-7). */
    private static boolean continuationOk(int b0, int j, int b) {
        if (j == 1) {
            return switch (b0) {
                case 0xE0 -> b >= 0xA0 && b <= 0xBF;
                case 0xED -> b >= 0x80 && b <= 0x9F;
                case 0xF0 -> b >= 0x90 && b <= 0xBF;
                case 0xF4 -> b >= 0x80 && b <= 0x8F;
                default -> b >= 0x80 && b <= 0xBF;
            };
        }
        return b >= 0x80 && b <= 0xBF;
    }

    private static int codePoint(byte[] in, int i, int n) {
        int b0 = in[i] & 0xff;
        int cp = n == 2 ? b0 & 0x1F : n == 3 ? b0 & 0x0F : b0 & 0x07;
        for (int k = 1; k < n; k++) {
            cp = (cp << 6) | (in[i + k] & 0x3F);
        }
        return cp;
    }
}
