package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * FFM bindings to the CUDA driver API (libcuda), the few dozen calls the GPT-J backend uses.
 * Every call checks its CUresult and throws {@link CudaException} naming the call and the error.
 * Handles (contexts, streams, modules, functions, graphs, events) are raw pointers in
 * {@link MemorySegment}s; device addresses are {@code long}s (CUdeviceptr).
 *
 * <p>Thread-safety: the driver is thread-safe; a thread must make the context current
 * ({@link #ctxSetCurrent}) before its first call that needs one.
 */
public final class CudaDriver {
    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_NO_DEVICE = 100;
    static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    static final int CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    static final int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
    static final int CU_STREAM_NON_BLOCKING = 1;
    static final int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1;

    private final NativeLibrary lib;
    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease,
            cuCtxSetCurrent, cuCtxSynchronize, cuMemGetInfo, cuModuleLoadData, cuModuleGetFunction,
            cuModuleUnload, cuFuncSetAttribute, cuLaunchKernel, cuMemAlloc, cuMemFree, cuMemcpyHtoD,
            cuMemcpyDtoH, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync, cuMemsetD8Async,
            cuMemsetD32Async, cuMemHostAlloc, cuMemFreeHost, cuStreamCreate, cuStreamDestroy,
            cuStreamSynchronize, cuStreamBeginCapture, cuStreamEndCapture, cuGraphInstantiate, cuGraphLaunch,
            cuGraphExecDestroy, cuGraphDestroy, cuGetErrorName, cuGetErrorString, cuEventCreate,
            cuEventRecord, cuEventSynchronize, cuEventElapsedTime, cuEventDestroy;

    private CudaDriver(NativeLibrary lib) {
        this.lib = lib;
        FunctionDescriptor iI = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        FunctionDescriptor iA = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        FunctionDescriptor iAA = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        cuInit = lib.bind("cuInit", iI);
        cuDriverGetVersion = lib.bind("cuDriverGetVersion", iA);
        cuDeviceGetCount = lib.bind("cuDeviceGetCount", iA);
        cuDeviceGet = lib.bind("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDeviceGetName = lib.bind("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDeviceGetAttribute = lib.bind("cuDeviceGetAttribute",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDeviceTotalMem = lib.bind("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDevicePrimaryCtxRetain = lib.bind("cuDevicePrimaryCtxRetain",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDevicePrimaryCtxRelease = lib.bind("cuDevicePrimaryCtxRelease_v2", iI);
        cuCtxSetCurrent = lib.bind("cuCtxSetCurrent", iA);
        cuCtxSynchronize = lib.bind("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));
        cuMemGetInfo = lib.bind("cuMemGetInfo_v2", iAA);
        cuModuleLoadData = lib.bind("cuModuleLoadData", iAA);
        cuModuleGetFunction = lib.bind("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuModuleUnload = lib.bind("cuModuleUnload", iA);
        cuFuncSetAttribute = lib.bind("cuFuncSetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuLaunchKernel = lib.bind("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuMemAlloc = lib.bind("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        cuMemFree = lib.bind("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuMemcpyHtoD = lib.bind("cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG));
        cuMemcpyDtoH = lib.bind("cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        cuMemcpyHtoDAsync = lib.bind("cuMemcpyHtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        cuMemcpyDtoHAsync = lib.bind("cuMemcpyDtoHAsync_v2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        cuMemcpyDtoDAsync = lib.bind("cuMemcpyDtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        cuMemsetD8Async = lib.bind("cuMemsetD8Async",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG, ADDRESS));
        cuMemsetD32Async = lib.bind("cuMemsetD32Async",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        cuMemHostAlloc = lib.bind("cuMemHostAlloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        cuMemFreeHost = lib.bind("cuMemFreeHost", iA);
        cuStreamCreate = lib.bind("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuStreamDestroy = lib.bind("cuStreamDestroy_v2", iA);
        cuStreamSynchronize = lib.bind("cuStreamSynchronize", iA);
        cuStreamBeginCapture = lib.bind("cuStreamBeginCapture_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuStreamEndCapture = lib.bind("cuStreamEndCapture", iAA);
        cuGraphInstantiate = lib.bind("cuGraphInstantiateWithFlags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        cuGraphLaunch = lib.bind("cuGraphLaunch", iAA);
        cuGraphExecDestroy = lib.bind("cuGraphExecDestroy", iA);
        cuGraphDestroy = lib.bind("cuGraphDestroy", iA);
        cuGetErrorName = lib.bind("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        cuGetErrorString = lib.bind("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        cuEventCreate = lib.bind("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuEventRecord = lib.bind("cuEventRecord", iAA);
        cuEventSynchronize = lib.bind("cuEventSynchronize", iA);
        FunctionDescriptor elapsed = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        cuEventElapsedTime = lib.find("cuEventElapsedTime_v2", elapsed)
                .orElseGet(() -> lib.bind("cuEventElapsedTime", elapsed));
        cuEventDestroy = lib.bind("cuEventDestroy_v2", iA);
    }

    /** Library candidates: $SWITCHBOARD_LIBCUDA, the loader's search, then known install paths. */
    static List<String> libcudaCandidates() {
        List<String> c = new ArrayList<>();
        c.add(System.getenv("SWITCHBOARD_LIBCUDA"));
        c.add("libcuda.so.1");
        c.add("/usr/local/nvidia/lib64/libcuda.so.1");
        c.add("/usr/lib/x86_64-linux-gnu/libcuda.so.1");
        c.add("/usr/lib64/libcuda.so.1");
        c.add("/usr/local/cuda/lib64/stubs/libcuda.so");
        return c;
    }

    /**
     * Loads libcuda and runs cuInit.
     *
     * @throws CudaUnavailableException when no driver library loads or the driver sees no GPU
     */
    public static CudaDriver load() {
        NativeLibrary lib;
        try {
            lib = NativeLibrary.open("the CUDA driver (libcuda.so.1)", libcudaCandidates());
        } catch (CudaUnavailableException e) {
            throw new CudaUnavailableException("no CUDA driver found: " + e.getMessage()
                    + ". --device cuda needs an NVIDIA GPU with its driver installed; use --device cpu.", e);
        }
        CudaDriver d = new CudaDriver(lib);
        int rc = d.callInt(d.cuInit, 0);
        if (rc != CUDA_SUCCESS) {
            throw new CudaUnavailableException("no CUDA GPU found: cuInit failed with " + d.errorName(rc)
                    + " (driver " + lib.loadedFrom() + "). Use --device cpu.");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            d.check(d.invoke(d.cuDeviceGetCount, n), "cuDeviceGetCount");
            if (n.get(JAVA_INT, 0) == 0) {
                throw new CudaUnavailableException("no CUDA GPU found: the driver reports 0 devices. Use --device cpu.");
            }
        }
        return d;
    }

    String loadedFrom() {
        return lib.loadedFrom();
    }

    // ---- error handling

    String errorName(int rc) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int r1 = invoke(cuGetErrorName, rc, p);
            String name = r1 == CUDA_SUCCESS ? NativeLibrary.cString(p.get(ADDRESS, 0)) : "CUresult " + rc;
            int r2 = invoke(cuGetErrorString, rc, p);
            String text = r2 == CUDA_SUCCESS ? NativeLibrary.cString(p.get(ADDRESS, 0)) : "";
            return name + " (" + rc + (text.isEmpty() ? "" : ": " + text) + ")";
        }
    }

    void check(int rc, String call) {
        if (rc != CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + errorName(rc));
        }
    }

    private int invoke(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("native call failed", t);
        }
    }

    private int callInt(MethodHandle h, int arg) {
        try {
            return (int) h.invokeExact(arg);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("native call failed", t);
        }
    }

    // ---- device and context

    int driverVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(invoke(cuDriverGetVersion, v), "cuDriverGetVersion");
            return v.get(JAVA_INT, 0);
        }
    }

    int deviceGet(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocate(JAVA_INT);
            check(invoke(cuDeviceGet, d, ordinal), "cuDeviceGet(" + ordinal + ")");
            return d.get(JAVA_INT, 0);
        }
    }

    String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(256);
            check(invoke(cuDeviceGetName, s, 256, device), "cuDeviceGetName");
            return s.getString(0);
        }
    }

    int deviceAttribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check(invoke(cuDeviceGetAttribute, v, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
            return v.get(JAVA_INT, 0);
        }
    }

    long deviceTotalMem(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            check(invoke(cuDeviceTotalMem, v, device), "cuDeviceTotalMem");
            return v.get(JAVA_LONG, 0);
        }
    }

    MemorySegment primaryCtxRetain(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuDevicePrimaryCtxRetain, p, device), "cuDevicePrimaryCtxRetain");
            return p.get(ADDRESS, 0);
        }
    }

    void primaryCtxRelease(int device) {
        check(invoke(cuDevicePrimaryCtxRelease, device), "cuDevicePrimaryCtxRelease");
    }

    void ctxSetCurrent(MemorySegment ctx) {
        check(invoke(cuCtxSetCurrent, ctx), "cuCtxSetCurrent");
    }

    void ctxSynchronize() {
        check(invoke(cuCtxSynchronize), "cuCtxSynchronize");
    }

    /** {free, total} bytes of device memory. */
    long[] memGetInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG);
            MemorySegment t = a.allocate(JAVA_LONG);
            check(invoke(cuMemGetInfo, f, t), "cuMemGetInfo");
            return new long[] {f.get(JAVA_LONG, 0), t.get(JAVA_LONG, 0)};
        }
    }

    // ---- modules and launches

    MemorySegment moduleLoadData(MemorySegment image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuModuleLoadData, p, image), "cuModuleLoadData");
            return p.get(ADDRESS, 0);
        }
    }

    MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuModuleGetFunction, p, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return p.get(ADDRESS, 0);
        }
    }

    void moduleUnload(MemorySegment module) {
        check(invoke(cuModuleUnload, module), "cuModuleUnload");
    }

    void funcSetAttribute(MemorySegment function, int attribute, int value) {
        check(invoke(cuFuncSetAttribute, function, attribute, value), "cuFuncSetAttribute");
    }

    void launchKernel(MemorySegment f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes,
                      MemorySegment stream, MemorySegment params, String name) {
        int rc;
        try {
            rc = (int) cuLaunchKernel.invokeExact(f, gx, gy, gz, bx, by, bz, sharedBytes, stream, params,
                    MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cuLaunchKernel failed", t);
        }
        if (rc != CUDA_SUCCESS) {
            throw new CudaException("cuLaunchKernel(" + name + ", grid " + gx + "x" + gy + "x" + gz + ", block "
                    + bx + ", smem " + sharedBytes + ") failed: " + errorName(rc));
        }
    }

    // ---- memory

    long memAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            int rc = invoke(cuMemAlloc, p, bytes);
            if (rc != CUDA_SUCCESS) {
                long[] info = memGetInfo();
                throw new CudaException("cuMemAlloc(" + bytes + " bytes) failed: " + errorName(rc) + "; "
                        + (info[0] >> 20) + " MiB free of " + (info[1] >> 20) + " MiB");
            }
            return p.get(JAVA_LONG, 0);
        }
    }

    void memFree(long dptr) {
        check(invoke(cuMemFree, dptr), "cuMemFree");
    }

    void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        check(invoke(cuMemcpyHtoD, dst, src, bytes), "cuMemcpyHtoD");
    }

    void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        check(invoke(cuMemcpyDtoH, dst, src, bytes), "cuMemcpyDtoH");
    }

    void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        check(invoke(cuMemcpyHtoDAsync, dst, src, bytes, stream), "cuMemcpyHtoDAsync");
    }

    void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        check(invoke(cuMemcpyDtoHAsync, dst, src, bytes, stream), "cuMemcpyDtoHAsync");
    }

    void memcpyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
        check(invoke(cuMemcpyDtoDAsync, dst, src, bytes, stream), "cuMemcpyDtoDAsync");
    }

    void memsetD8Async(long dst, byte value, long count, MemorySegment stream) {
        check(invoke(cuMemsetD8Async, dst, value, count, stream), "cuMemsetD8Async");
    }

    void memsetD32Async(long dst, int value, long count, MemorySegment stream) {
        check(invoke(cuMemsetD32Async, dst, value, count, stream), "cuMemsetD32Async");
    }

    /** Page-locked host memory (fast, asynchronous copies); free with {@link #memFreeHost}. */
    MemorySegment memHostAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuMemHostAlloc, p, bytes, 0), "cuMemHostAlloc(" + bytes + ")");
            return p.get(ADDRESS, 0).reinterpret(bytes);
        }
    }

    void memFreeHost(MemorySegment p) {
        check(invoke(cuMemFreeHost, p), "cuMemFreeHost");
    }

    // ---- streams, graphs, events

    MemorySegment streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuStreamCreate, p, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            return p.get(ADDRESS, 0);
        }
    }

    void streamDestroy(MemorySegment stream) {
        check(invoke(cuStreamDestroy, stream), "cuStreamDestroy");
    }

    void streamSynchronize(MemorySegment stream) {
        check(invoke(cuStreamSynchronize, stream), "cuStreamSynchronize");
    }

    void streamBeginCapture(MemorySegment stream) {
        check(invoke(cuStreamBeginCapture, stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
    }

    MemorySegment streamEndCapture(MemorySegment stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuStreamEndCapture, stream, p), "cuStreamEndCapture");
            return p.get(ADDRESS, 0);
        }
    }

    MemorySegment graphInstantiate(MemorySegment graph) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuGraphInstantiate, p, graph, 0L), "cuGraphInstantiate");
            return p.get(ADDRESS, 0);
        }
    }

    void graphLaunch(MemorySegment exec, MemorySegment stream) {
        int rc;
        try {
            rc = (int) cuGraphLaunch.invokeExact(exec, stream);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cuGraphLaunch failed", t);
        }
        check(rc, "cuGraphLaunch");
    }

    void graphExecDestroy(MemorySegment exec) {
        check(invoke(cuGraphExecDestroy, exec), "cuGraphExecDestroy");
    }

    void graphDestroy(MemorySegment graph) {
        check(invoke(cuGraphDestroy, graph), "cuGraphDestroy");
    }

    MemorySegment eventCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(cuEventCreate, p, 0), "cuEventCreate");
            return p.get(ADDRESS, 0);
        }
    }

    void eventRecord(MemorySegment event, MemorySegment stream) {
        check(invoke(cuEventRecord, event, stream), "cuEventRecord");
    }

    void eventSynchronize(MemorySegment event) {
        check(invoke(cuEventSynchronize, event), "cuEventSynchronize");
    }

    float eventElapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ms = a.allocate(JAVA_FLOAT);
            check(invoke(cuEventElapsedTime, ms, start, end), "cuEventElapsedTime");
            return ms.get(JAVA_FLOAT, 0);
        }
    }

    void eventDestroy(MemorySegment event) {
        check(invoke(cuEventDestroy, event), "cuEventDestroy");
    }
}
