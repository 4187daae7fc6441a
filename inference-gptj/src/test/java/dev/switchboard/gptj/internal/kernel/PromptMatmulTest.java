package dev.switchboard.gptj.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PromptMatmul} against its scalar definition: one fma chain per output over the columns in order, then the bias. */
class PromptMatmulTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (KernelTest.Format f : KernelTest.Format.values()) {
            // rows: a block and a tail (75 = 56 + two tiles of 7 + 5), three tiles and 3 rows past two blocks
            // (136), less than a tile; cols: chunks, odd, tiny
            b.add(Arguments.of(f, 75, 300, new int[] {1, 5, 16, 17, 48, 49, 100, 130}));
            b.add(Arguments.of(f, 136, 1088, new int[] {3, 50}));
            b.add(Arguments.of(f, 5, 37, new int[] {1, 2, 47}));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void everyOutputIsOneFmaChainInColumnOrderWhateverTheRowsAndSplit(KernelTest.Format format, int rows, int cols, int[] ns) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + cols);
        WeightMatrix w = KernelTest.matrix(format, rows, cols, rnd);
        float[] bias = KernelTest.randomFloats(rows, rnd);
        for (int n : ns) {
            int offset = 2; // input rows start at row 2 of x, outputs at row 3 of y
            float[] x = KernelTest.randomFloats((n + offset) * cols, rnd);
            float[] xt = new float[PromptMatmul.packedSize(n, cols)];
            for (int blk = 0; blk < PromptMatmul.blocks(n); blk++) {
                // packed in two column ranges, as the engine's threads may
                PromptMatmul.pack(x, offset, n, cols, blk, 0, cols / 2, xt);
                PromptMatmul.pack(x, offset, n, cols, blk, cols / 2, cols, xt);
            }
            float[] scratch = new float[PromptMatmul.scratchSize(n, cols)];
            for (float[] b : new float[][] {bias, null}) {
                float[] y = new float[(n + 3) * rows];
                // split as work items would be: a whole block, then the rest in one item
                int split = Math.min(rows, PromptMatmul.ROW_BLOCK);
                PromptMatmul.multiply(w, xt, n, y, 3, b, 0, split, scratch);
                PromptMatmul.multiply(w, xt, n, y, 3, b, split, rows, scratch);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < rows; r++) {
                        float s = 0f;
                        for (int k = 0; k < cols; k++) {
                            s = Math.fma(w.get(r, k), x[(offset + i) * cols + k], s);
                        }
                        if (b != null) {
                            s += b[r];
                        }
                        assertThat(Float.floatToRawIntBits(y[(3 + i) * rows + r]))
                                .as("%s n=%d row %d output %d", format, n, i, r).isEqualTo(Float.floatToRawIntBits(s));
                    }
                }
            }
        }
    }
}
