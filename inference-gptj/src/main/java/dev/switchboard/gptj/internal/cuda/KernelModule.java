package dev.switchboard.gptj.internal.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * The GPT-J kernels (fatbin resource built by src/main/cuda/build-kernels.sh from
 * gptj_kernels.cu), loaded into the current context; functions are looked up by name once.
 */
final class KernelModule implements AutoCloseable {
    static final String RESOURCE = "gptj_kernels.fatbin";

    private final CudaDriver driver;
    private final MemorySegment module;
    private final Map<String, MemorySegment> functions = new HashMap<>();

    private KernelModule(CudaDriver driver, MemorySegment module) {
        this.driver = driver;
        this.module = module;
    }

    static byte[] image() {
        try (InputStream in = KernelModule.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CudaException("kernel image " + RESOURCE + " missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read kernel image " + RESOURCE, e);
        }
    }

    static KernelModule load(CudaDriver driver) {
        byte[] bytes = image();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment img = a.allocate(bytes.length + 1L, 16);
            MemorySegment.copy(bytes, 0, img, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return new KernelModule(driver, driver.moduleLoadData(img));
        }
    }

    synchronized MemorySegment function(String name) {
        return functions.computeIfAbsent(name, n -> driver.moduleGetFunction(module, n));
    }

    @Override
    public void close() {
        driver.moduleUnload(module);
    }
}
