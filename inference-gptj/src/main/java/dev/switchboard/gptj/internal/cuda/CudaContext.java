package dev.switchboard.gptj.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One GPU as the backend uses it: the device's primary context, one non-blocking stream, the
 * kernel module, a cuBLAS handle on that stream, and every device allocation made through it
 * (freed on {@link #close}).
 *
 * <p>Thread-safety: none. One thread drives a context at a time; {@link #makeCurrent} binds it
 * to the calling thread (the batcher's thread may differ from the loading thread).
 */
public final class CudaContext implements AutoCloseable {
    final CudaDriver driver;
    final int device;
    final MemorySegment context;
    final MemorySegment stream;
    final KernelModule kernels;
    final Cublas blas;
    private final Set<Long> allocations = new LinkedHashSet<>();
    private final List<MemorySegment> pinned = new ArrayList<>();
    private final String deviceName;
    private final int multiprocessors;
    private final int computeCapability;
    private long allocatedBytes;

    private CudaContext(CudaDriver driver, int device, MemorySegment context, MemorySegment stream,
                        KernelModule kernels, Cublas blas) {
        this.driver = driver;
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.kernels = kernels;
        this.blas = blas;
        this.deviceName = driver.deviceName(device);
        this.multiprocessors = driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        this.computeCapability = 10 * driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device) + driver.deviceAttribute(CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
    }

    /**
     * Opens GPU {@code ordinal}: driver, primary context, stream, kernels, cuBLAS.
     *
     * @throws CudaUnavailableException when there is no driver or GPU
     */
    public static CudaContext open(int ordinal) {
        CudaDriver driver = CudaDriver.load();
        int device = driver.deviceGet(ordinal);
        MemorySegment ctx = driver.primaryCtxRetain(device);
        driver.ctxSetCurrent(ctx);
        MemorySegment stream = driver.streamCreate();
        KernelModule module = KernelModule.load(driver);
        Cublas blas;
        try {
            blas = Cublas.open();
        } catch (CudaUnavailableException e) {
            driver.streamDestroy(stream);
            module.close();
            driver.primaryCtxRelease(device);
            throw new CudaUnavailableException("CUDA driver found but cuBLAS is missing: " + e.getMessage()
                    + " (set SWITCHBOARD_LIBCUBLAS to libcublas.so.13, or use --device cpu)", e);
        }
        blas.setStream(stream);
        return new CudaContext(driver, device, ctx, stream, module, blas);
    }

    public String deviceName() {
        return deviceName;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    public int computeCapability() {
        return computeCapability;
    }

    public long totalMemory() {
        return driver.deviceTotalMem(device);
    }

    public String describe() {
        return deviceName + " (sm_" + computeCapability + ", " + multiprocessors + " SMs, "
                + (totalMemory() >> 20) + " MiB; driver " + driver.driverVersion() + " at " + driver.loadedFrom()
                + "; cuBLAS " + blas.loadedFrom() + ")";
    }

    /** Binds this context to the calling thread. */
    public void makeCurrent() {
        driver.ctxSetCurrent(context);
    }

    long alloc(long bytes) {
        long p = driver.memAlloc(Math.max(bytes, 16));
        allocations.add(p);
        allocatedBytes += bytes;
        return p;
    }

    /** Device memory cleared to zero bytes. */
    long allocZeroed(long bytes) {
        long p = alloc(bytes);
        driver.memsetD8Async(p, (byte) 0, Math.max(bytes, 16), stream);
        return p;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    void free(long p) {
        if (allocations.remove(p)) {
            driver.memFree(p);
        }
    }

    MemorySegment pinned(long bytes) {
        MemorySegment p = driver.memHostAlloc(bytes);
        pinned.add(p);
        return p;
    }

    void launch(String kernel, int gx, int gy, int gz, int block, int sharedBytes, Consumer<KernelArgs> args) {
        MemorySegment f = kernels.function(kernel);
        try (Arena a = Arena.ofConfined()) {
            KernelArgs ka = new KernelArgs(a);
            args.accept(ka);
            driver.launchKernel(f, gx, gy, gz, block, 1, 1, sharedBytes, stream, ka.pointers(), kernel);
        }
    }

    void setMaxDynamicShared(String kernel, int bytes) {
        if (bytes > 48 * 1024) {
            driver.funcSetAttribute(kernels.function(kernel),
                    CudaDriver.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes);
        }
    }

    void synchronize() {
        driver.streamSynchronize(stream);
    }

    @Override
    public void close() {
        makeCurrent();
        try {
            driver.streamSynchronize(stream);
        } finally {
            for (long p : allocations) {
                driver.memFree(p);
            }
            allocations.clear();
            for (MemorySegment p : pinned) {
                driver.memFreeHost(p);
            }
            pinned.clear();
            blas.close();
            kernels.close();
            driver.streamDestroy(stream);
            driver.primaryCtxRelease(device);
        }
    }
}
