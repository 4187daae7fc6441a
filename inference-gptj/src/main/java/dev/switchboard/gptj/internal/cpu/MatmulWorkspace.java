package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.Simd;

/**
 * Scratch that every {@link MatmulPlan} of one forward pass shares (the plans run one at a time): per
 * compute thread, the buffers of {@link Matmul} and {@link dev.switchboard.gptj.internal.kernel.PromptMatmul};
 * per distinct input of a plan, its packed prompt rows. The prompt buffers grow with the longest prompt
 * chunk seen.
 */
final class MatmulWorkspace {

    final float[][] scratch; // per thread, Matmul
    final float[][] lanes;   // per thread
    private final float[][] prompt; // per thread, PromptMatmul
    private float[][] packed = new float[0][];

    MatmulWorkspace(int threads, int maxCols) {
        this.scratch = new float[threads][Matmul.scratchSize(maxCols)];
        this.lanes = new float[threads][Simd.L];
        this.prompt = new float[threads][];
    }

    /** Thread {@code worker}'s PromptMatmul scratch, at least {@code size} long. */
    float[] promptScratch(int worker, int size) {
        return atLeast(prompt, worker, size);
    }

    /** The packed-rows buffer {@code slot} (a plan's op index), at least {@code size} long. Called before a parallel loop. */
    float[] packed(int slot, int size) {
        if (slot >= packed.length) {
            packed = java.util.Arrays.copyOf(packed, slot + 1);
        }
        return atLeast(packed, slot, size);
    }

    /** {@code buffers[i]}, replaced by a new array first if it is shorter than {@code size}. */
    private static float[] atLeast(float[][] buffers, int i, int size) {
        if (buffers[i] == null || buffers[i].length < size) {
            buffers[i] = new float[size];
        }
        return buffers[i];
    }
}
