package dev.switchboard.gptj.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The committed kernel image is built from the committed source and has every kernel Java launches. */
class KernelImageTest {
    private static final Path SOURCE = Path.of("src/main/cuda/gptj_kernels.cu");

    @Test
    void fatbinWasBuiltFromTheCurrentSource() throws IOException, NoSuchAlgorithmException {
        String recorded;
        try (var in = KernelModule.class.getResourceAsStream(KernelModule.RESOURCE + ".sha256")) {
            assertThat(in).as("fatbin checksum resource").isNotNull();
            recorded = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        String actual = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(SOURCE)));
        assertThat(recorded).as("gptj_kernels.cu changed: run src/main/cuda/build-kernels.sh").isEqualTo(actual);
    }

    @Test
    void everyLaunchedKernelIsDefinedAndCompiled() throws IOException {
        String source = Files.readString(SOURCE);
        String image = new String(KernelModule.image(), StandardCharsets.ISO_8859_1);
        for (String name : GptjKernels.allKernelNames()) {
            assertThat(image).as("fatbin symbol " + name).contains(name);
            boolean plain = source.contains("__global__ void " + name + "(")
                    || source.matches("(?s).*__global__ void __launch_bounds__\\(\\w+\\)\\s+" + name + "\\(.*");
            boolean variant = name.startsWith("gemv_") && source.contains("GEMV_VARIANT(" + name.charAt(name.length() - 4)
                    + ", " + name.charAt(name.length() - 1) + ")");
            assertThat(plain || variant).as("kernel " + name + " defined in gptj_kernels.cu").isTrue();
        }
    }
}
