package dev.switchboard.gptj.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Opening the GPU either works or says plainly what is missing and what to use instead. */
class CudaAvailabilityTest {
    @Test
    void opensTheGpuOrExplainsWhatIsMissing() {
        try (CudaContext cx = CudaContext.open(0)) {
            assertThat(cx.describe()).contains("SMs").contains("cuBLAS");
            assertThat(cx.multiprocessors()).isPositive();
        } catch (CudaUnavailableException e) {
            assertThat(e.getMessage()).containsAnyOf("no CUDA driver found", "no CUDA GPU found", "cuBLAS is missing")
                    .contains("--device cpu");
        }
    }
}
