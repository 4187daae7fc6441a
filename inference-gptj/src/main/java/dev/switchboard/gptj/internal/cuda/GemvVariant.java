package dev.switchboard.gptj.internal.cuda;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compiled configuration of the GEMV kernels: {@code rows} matrix rows per warp, {@code unroll}
 * 256-element steps loaded before use (rows * unroll 16-byte loads in flight per lane), and
 * {@code threads} per block. Written {@code r4u4t128}.
 */
record GemvVariant(int rows, int unroll, int threads) {
    /** The (rows, unroll) pairs instantiated in gptj_kernels.cu (GEMV_VARIANT). */
    static final Set<String> COMPILED = Set.of("r2u2", "r2u4", "r2u8", "r4u2", "r4u4");
    private static final Pattern FORM = Pattern.compile("r(\\d+)u(\\d+)t(\\d+)");

    GemvVariant {
        if (!COMPILED.contains("r" + rows + "u" + unroll)) {
            throw new IllegalArgumentException("no compiled GEMV kernel with rows=" + rows + ", unroll=" + unroll
                    + "; compiled: " + COMPILED);
        }
        if (threads < 32 || threads > 256 || threads % 32 != 0) {
            throw new IllegalArgumentException("GEMV threads must be a multiple of 32 in [32, 256], was " + threads);
        }
    }

    static GemvVariant parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("GEMV variant must look like r4u4t128, was '" + text + "'");
        }
        return new GemvVariant(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    /**
     * Parses {@code qkvfc=r4u4t128,resid=r2u8t128,lm=r4u4t128} (any subset) into [qkvfc, resid, lm];
     * absent entries are null.
     */
    static GemvVariant[] parseAll(String spec) {
        GemvVariant[] out = new GemvVariant[3];
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("GEMV setting must look like qkvfc=r4u4t128, was '" + part + "'");
            }
            int at = switch (kv[0].trim()) {
                case "qkvfc" -> 0;
                case "resid" -> 1;
                case "lm" -> 2;
                default -> throw new IllegalArgumentException("GEMV setting names qkvfc, resid or lm, was '"
                        + kv[0] + "'");
            };
            out[at] = parse(kv[1]);
        }
        return out;
    }

    /** {@code kind} is qkvfc, resid or bias. */
    String kernel(String kind) {
        return "gemv_" + kind + "_r" + rows + "_u" + unroll;
    }

    /** Blocks that give every one of {@code matrixRows} rows to a warp. */
    int blocks(int matrixRows) {
        int warps = (matrixRows + rows - 1) / rows;
        int warpsPerBlock = threads / 32;
        return (warps + warpsPerBlock - 1) / warpsPerBlock;
    }

    @Override
    public String toString() {
        return "r" + rows + "u" + unroll + "t" + threads;
    }
}
