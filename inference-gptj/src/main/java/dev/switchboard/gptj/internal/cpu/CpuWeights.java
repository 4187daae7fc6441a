package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.WeightFormat;
import dev.switchboard.gptj.internal.kernel.Bf16Matrix;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.F16Matrix;
import dev.switchboard.gptj.internal.kernel.F32Matrix;
import dev.switchboard.gptj.internal.kernel.Q8Matrix;
import dev.switchboard.gptj.internal.kernel.WeightMatrix;
import dev.switchboard.gptj.internal.model.GptjWeights;
import dev.switchboard.gptj.internal.safetensors.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights in the form the CPU kernels use: matrices as mapped views of the checkpoint (as stored)
 * or int8 copies; vectors (biases, LayerNorm parameters) as fp32 heap arrays.
 */
record CpuWeights(
        WeightMatrix wte,         // [vocab, d]
        List<Layer> layers,
        float[] lnFWeight,        // [d]
        float[] lnFBias,          // [d]
        WeightMatrix lmHead,      // [vocab, d]
        float[] lmHeadBias) {     // [vocab]

    record Layer(
            float[] ln1Weight, float[] ln1Bias, // [d]
            WeightMatrix q, WeightMatrix k, WeightMatrix v, WeightMatrix out, // [d, d]
            WeightMatrix fcIn, float[] fcInBias,   // [inner, d], [inner]
            WeightMatrix fcOut, float[] fcOutBias) { // [d, inner], [d]
    }

    /** Bytes one decode step reads: every matrix once (the embedding contributes one row only). */
    long matrixBytesPerStep() {
        long sum = lmHead.bytes();
        for (Layer l : layers) {
            sum += l.q.bytes() + l.k.bytes() + l.v.bytes() + l.out.bytes() + l.fcIn.bytes() + l.fcOut.bytes();
        }
        return sum;
    }

    long residentBytes() {
        return matrixBytesPerStep() + wte.bytes();
    }

    /** Builds the matrices; int8 copies are allocated in {@code arena} (the caller closes it with the backend). */
    static CpuWeights build(GptjWeights w, WeightFormat format, ComputePool pool, Arena arena, LoadListener listener) {
        Converter conv = new Converter(format, pool, arena, listener, 2L + 6L * w.layers().size());
        List<Layer> layers = new ArrayList<>();
        for (GptjWeights.Layer l : w.layers()) {
            layers.add(new Layer(
                    l.ln1Weight().toFloatArray(), l.ln1Bias().toFloatArray(),
                    conv.matrix(l.q()), conv.matrix(l.k()), conv.matrix(l.v()), conv.matrix(l.out()),
                    conv.matrix(l.fcIn()), l.fcInBias().toFloatArray(),
                    conv.matrix(l.fcOut()), l.fcOutBias().toFloatArray()));
        }
        return new CpuWeights(conv.matrix(w.wte()), List.copyOf(layers),
                w.lnFWeight().toFloatArray(), w.lnFBias().toFloatArray(),
                conv.matrix(w.lmHead()), w.lmHeadBias().toFloatArray());
    }

    /** A mapped view of a 2-D tensor in its stored dtype. */
    static WeightMatrix view(Tensor t) {
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        return switch (t.dtype()) {
            case F32 -> new F32Matrix(t.data(), rows, cols);
            case F16 -> new F16Matrix(t.data(), rows, cols);
            case BF16 -> new Bf16Matrix(t.data(), rows, cols);
            case F64, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2 ->
                    throw new IllegalArgumentException("tensor '" + t.name() + "' has dtype " + t.dtype());
        };
    }

    private static final class Converter {
        private final WeightFormat format;
        private final ComputePool pool;
        private final Arena arena;
        private final LoadListener listener;
        private final long total;
        private long done;

        Converter(WeightFormat format, ComputePool pool, Arena arena, LoadListener listener, long total) {
            this.format = format;
            this.pool = pool;
            this.arena = arena;
            this.listener = listener;
            this.total = total;
        }

        WeightMatrix matrix(Tensor t) {
            WeightMatrix view = view(t);
            WeightMatrix out = switch (format) {
                case AS_STORED -> {
                    // Read the mapped pages in now, so the first request does not pay for disk reads.
                    t.data().load();
                    yield view;
                }
                case INT8, W8A8 -> quantize(view);
            };
            done++;
            listener.progress(format.int8() ? "quantizing to int8" : "reading weights", done, total);
            return out;
        }

        private WeightMatrix quantize(WeightMatrix src) {
            Q8Matrix q = Q8Matrix.allocate(src.rows(), src.cols(), arena);
            int blockRows = 64;
            int items = (src.rows() + blockRows - 1) / blockRows;
            pool.run(items, i -> q.quantizeRows(src, i * blockRows, Math.min(src.rows(), (i + 1) * blockRows)));
            return q;
        }
    }
}
