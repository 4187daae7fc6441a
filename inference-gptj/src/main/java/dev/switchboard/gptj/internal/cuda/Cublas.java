package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
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
 * FFM bindings to cuBLAS: one handle on one stream, fp16 GEMMs with fp32 accumulation
 * ({@code cublasGemmEx}, {@code cublasGemmStridedBatchedEx}). cuBLAS is column-major; the callers
 * in {@link GptjDevice} map row-major products onto it (see the comments there).
 *
 * <p>Not thread-safe: one handle, used by the thread that drives the model.
 */
final class Cublas implements AutoCloseable {
    static final int OP_N = 0;
    static final int OP_T = 1;
    static final int R_16F = 2;
    static final int R_32F = 0;
    static final int COMPUTE_32F = 68;
    static final int GEMM_DEFAULT = -1;

    private final NativeLibrary lib;
    private final MethodHandle create, destroy, setStream, setWorkspace, gemmEx, gemmStridedBatchedEx, statusString;
    private final MemorySegment handle;
    private final Arena scalars = Arena.ofShared();
    private final MemorySegment one;
    private final MemorySegment zero;

    private Cublas(NativeLibrary lib) {
        this.lib = lib;
        create = lib.bind("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = lib.bind("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        setStream = lib.bind("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        setWorkspace = lib.bind("cublasSetWorkspace_v2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        statusString = lib.find("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT)).orElse(null);
        gemmEx = lib.bind("cublasGemmEx", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        gemmStridedBatchedEx = lib.bind("cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT,
                JAVA_INT, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check(invoke(create, p), "cublasCreate");
            handle = p.get(ADDRESS, 0);
        }
        one = scalars.allocate(JAVA_FLOAT);
        one.set(JAVA_FLOAT, 0, 1f);
        zero = scalars.allocate(JAVA_FLOAT);
        zero.set(JAVA_FLOAT, 0, 0f);
    }

    static List<String> candidates() {
        List<String> c = new ArrayList<>();
        c.add(System.getenv("SWITCHBOARD_LIBCUBLAS"));
        c.add("libcublas.so.13");
        c.add("/usr/local/cuda/targets/x86_64-linux/lib/libcublas.so.13");
        c.add("/usr/local/cuda/lib64/libcublas.so.13");
        c.add("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13");
        c.add("libcublas.so.12");
        c.add("/usr/local/cuda/lib64/libcublas.so.12");
        return c;
    }

    /** Opens cuBLAS and creates a handle in the current context. */
    static Cublas open() {
        return new Cublas(NativeLibrary.open("cuBLAS (libcublas.so.13)", candidates()));
    }

    String loadedFrom() {
        return lib.loadedFrom();
    }

    void setStream(MemorySegment stream) {
        check(invoke(setStream, handle, stream), "cublasSetStream");
    }

    /** A caller-owned workspace, so that cuBLAS never allocates (required for graph capture). */
    void setWorkspace(long dptr, long bytes) {
        check(invoke(setWorkspace, handle, dptr, bytes), "cublasSetWorkspace");
    }

    /**
     * C = alpha * op(A) op(B) + beta * C, column-major, fp32 accumulation; alpha/beta are 1 or 0.
     */
    void gemm(int opA, int opB, int m, int n, int k, long a, int aType, int lda, long b, int bType, int ldb,
              boolean accumulate, long c, int cType, int ldc) {
        int rc = invoke(gemmEx, handle, opA, opB, m, n, k, one, a, aType, lda, b, bType, ldb,
                accumulate ? one : zero, c, cType, ldc, COMPUTE_32F, GEMM_DEFAULT);
        check(rc, "cublasGemmEx(m=" + m + ", n=" + n + ", k=" + k + ")");
    }

    void gemmStridedBatched(int opA, int opB, int m, int n, int k, long a, int aType, int lda, long strideA,
                            long b, int bType, int ldb, long strideB, long c, int cType, int ldc, long strideC,
                            int batch) {
        int rc = invoke(gemmStridedBatchedEx, handle, opA, opB, m, n, k, one, a, aType, lda, strideA, b, bType, ldb,
                strideB, zero, c, cType, ldc, strideC, batch, COMPUTE_32F, GEMM_DEFAULT);
        check(rc, "cublasGemmStridedBatchedEx(m=" + m + ", n=" + n + ", k=" + k + ", batch=" + batch + ")");
    }

    private void check(int status, String call) {
        if (status != 0) {
            String text = "";
            if (statusString != null) {
                try {
                    text = ": " + NativeLibrary.cString((MemorySegment) statusString.invoke(status));
                } catch (Throwable ignored) {
                    text = "";
                }
            }
            throw new CudaException(call + " failed with cuBLAS status " + status + text);
        }
    }

    private static int invoke(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cuBLAS call failed", t);
        }
    }

    @Override
    public void close() {
        invoke(destroy, handle);
        scalars.close();
    }
}
