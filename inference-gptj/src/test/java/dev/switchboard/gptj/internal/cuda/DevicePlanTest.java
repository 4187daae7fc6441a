package dev.switchboard.gptj.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DevicePlanTest {
    static final ModelShape GPTJ_6B = new ModelShape(4096, 28, 16, 64, 16384, 50400, 2048, 1e-5f, 0);
    static final GemvVariant V = GemvVariant.parse("r4u4t128");

    private static DevicePlan plan(ModelShape s, int slots, int maxPos) {
        return new DevicePlan(s, slots, maxPos, 1024, 132, V, GemvVariant.parse("r2u4t128"), V);
    }

    @Test
    void sixBillionShapeReadsElevenPointSevenGigabytesPerToken() {
        // 12.1 GB of fp16 parameters, less wte (of which decode reads one row)
        assertThat(GPTJ_6B.weightBytesPerToken()).isEqualTo(2L * (28L * (28672L * 4096 + 4096L * 4096 + 4096L * 16384)
                + 50400L * 4096));
        assertThat(GPTJ_6B.qkvfcRows()).isEqualTo(28672);
    }

    @Test
    void kvCacheOfOneFullSequenceIsUnderAGigabyte() {
        DevicePlan p = plan(GPTJ_6B, 1, 2048);
        // 28 layers x K,V x 16 heads x 2048 positions x 256 dims x 2 bytes
        assertThat(p.kvCacheBytes()).isEqualTo(28L * 2 * 16 * 2048 * 256 * 2);
    }

    @Test
    void attentionSplitsKeepEveryChunkInSharedMemoryAndFillTheGpu() {
        for (int slots : new int[] {1, 4, 16}) {
            DevicePlan p = plan(GPTJ_6B, slots, 2048);
            for (int rows = 1; rows <= slots; rows++) {
                int splits = p.attnSplits(rows);
                assertThat(p.attnMaxChunk(splits)).isLessThanOrEqualTo(DevicePlan.ATTN_MAX_CHUNK);
                assertThat((long) splits * p.attnMaxChunk(splits)).isGreaterThanOrEqualTo(2048);
                assertThat(p.attnSharedBytes(splits)).isLessThanOrEqualTo(48 * 1024);
                assertThat((long) splits * 16 * rows).as("blocks at %d rows", rows).isGreaterThanOrEqualTo(132);
                assertThat(p.attnPartialFloats()).isGreaterThanOrEqualTo((long) rows * splits * 16 * 258);
            }
        }
    }

    @Test
    void gemvGridsCoverEveryRow() {
        GemvVariant v = GemvVariant.parse("r4u4t128");
        assertThat(v.blocks(28672)).isEqualTo(28672 / 16);
        assertThat(v.blocks(50400)).isEqualTo(3150);
        assertThat(GemvVariant.parse("r2u8t256").blocks(4097)).isEqualTo(257);
    }

    @Test
    void rejectsShapesTheKernelsCannotRun() {
        assertThatThrownBy(() -> plan(new ModelShape(4224, 1, 16, 64, 16384, 10, 64, 1e-5f, 0), 1, 64))
                .hasMessageContaining("head size").hasMessageContaining("264");
        assertThatThrownBy(() -> plan(new ModelShape(64, 1, 4, 8, 250, 10, 64, 1e-5f, 0), 1, 64))
                .hasMessageContaining("n_inner");
        assertThatThrownBy(() -> plan(GPTJ_6B, 1, 4096)).hasMessageContaining("maxPos");
        assertThatThrownBy(() -> new DevicePlan(GPTJ_6B, 0, 2048, 512, 132, V, V, V)).hasMessageContaining("slots");
    }

    @Test
    void gemvVariantsParseAndRejectUncompiledOnes() {
        assertThat(GemvVariant.parse("r2u8t64").kernel("resid")).isEqualTo("gemv_resid_r2_u8");
        assertThatThrownBy(() -> GemvVariant.parse("r3u4t128")).hasMessageContaining("no compiled GEMV kernel");
        assertThatThrownBy(() -> GemvVariant.parse("r4u4t100")).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> GemvVariant.parse("fast")).hasMessageContaining("r4u4t128");
    }

    @Test
    void gemvSettingsOverrideOnlyTheKernelsTheyName() {
        GemvVariant[] v = CudaBackend.gemvVariants("resid=r4u2t64");
        assertThat(v[1]).hasToString("r4u2t64");
        assertThat(v[0]).isEqualTo(GemvVariant.parseAll(CudaBackend.DEFAULT_GEMV)[0]);
        assertThat(v[2]).isEqualTo(GemvVariant.parseAll(CudaBackend.DEFAULT_GEMV)[2]);
        assertThatThrownBy(() -> CudaBackend.gemvVariants("attn=r2u2t64")).hasMessageContaining("qkvfc, resid or lm");
        assertThatThrownBy(() -> CudaBackend.gemvVariants("qkvfc")).hasMessageContaining("qkvfc=r4u4t128");
    }

    @Test
    void workspaceAndKvCacheOfTheSixBillionShapeFitAnEightyGigabyteCardWithSixteenSequences() {
        DevicePlan p = new DevicePlan(GPTJ_6B, 16, 2048, 1024, 132, V, V, V);
        long total = p.weightBytes() + p.workspaceBytes() + 16 * p.kvBytesPerSlot();
        assertThat(p.weightBytes()).isBetween(12_000_000_000L, 12_200_000_000L);
        assertThat(p.workspaceBytes()).isLessThan(1_500_000_000L);
        assertThat(total).isLessThan(80L << 30);
        assertThat(p.kvBytesPerSlot() * 16).isEqualTo(p.kvCacheBytes());
    }
}
