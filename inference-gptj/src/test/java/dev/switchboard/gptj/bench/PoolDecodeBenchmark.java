package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.F32Matrix;
import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.Q8Activations;
import dev.switchboard.gptj.internal.kernel.Q8Matrix;
import dev.switchboard.gptj.internal.kernel.Simd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decode matrix–vector product over a large int8 matrix, cut into work items and run on a
 * {@link ComputePool} as the engine's MatmulPlan does (items of {@code itemKiB} of weights, two rows
 * half an item apart): what the engine's decode loop reaches on the bare kernel, without the rest of a
 * forward pass. Compare with {@code Int8VariantsBenchmark -t T} (each thread its own matrix, long
 * streams) on the same machine. GB/s = {@code rows × cols × (1 + 4/64)} / time.
 * The {@code *Touch} variants and {@code huge} test loading a line ahead of each stream and 2 MB pages
 * (neither helped: bench/CPU-NOTES.md, eighth session).
 * Run: {@code inference-gptj/bench/jmh.sh PoolDecode -p threads=16}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PoolDecodeBenchmark {

    @Param({"2"})
    public int threads;

    @Param({"65536"})
    public int rows;

    @Param({"4096"})
    public int cols;

    @Param({"128"})
    public int itemKiB;

    /** Bytes ahead of each stream that the *Touch variants load one long from, per 64 bytes read (0: none). */
    @Param({"0"})
    public int touch;

    /** The raw copy ({@code q}, the variants other than int8 and w8a8) in transparent huge pages (Linux madvise). */
    @Param({"false"})
    public boolean huge;

    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_512;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;
    private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Arena arena;
    private MemorySegment q;
    private short[] xq;
    private float[] ws;
    private ComputePool pool;
    private Q8Matrix matrix;
    private float[] x;
    private float[] y;
    private Q8Activations xa;
    private int itemRows;
    private float[][] scratch;
    private float[][] lanes;
    private long[] sinks;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        matrix = Q8Matrix.allocate(rows, cols, arena);
        int patternRows = 16;
        MemorySegment f = arena.allocate(4L * patternRows * cols, 64);
        for (long i = 0; i < (long) patternRows * cols; i++) {
            f.setAtIndex(ValueLayout.JAVA_FLOAT, i, ((i * 31) % 255 - 127) * 0.001f);
        }
        matrix.quantizeRows(new F32Matrix(f, patternRows, cols), 0, patternRows); // the rest stays 0: speed does not depend on values
        x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (i % 13) * 0.1f - 0.6f;
        }
        y = new float[rows];
        xa = new Q8Activations();
        xa.quantize(x, 0, 1, cols);
        pool = new ComputePool(threads);
        q = huge ? hugePages((long) rows * cols) : arena.allocate((long) rows * cols, 64);
        for (long o = 0; o < q.byteSize(); o += 4096) {
            q.set(ValueLayout.JAVA_BYTE, o, (byte) 1);
        }
        System.out.println("# huge=" + huge + " " + anonHuge());
        xq = new short[cols];
        for (int i = 0; i < cols; i++) {
            xq[i] = (short) (i % 255 - 127);
        }
        ws = new float[rows * (cols / 64)];
        java.util.Arrays.fill(ws, 0.01f);
        itemRows = (int) Math.max(4, (itemKiB * 1024L) / (cols * matrix.bytesPerWeight())) & ~3;
        scratch = new float[threads][Matmul.scratchSize(cols)];
        lanes = new float[threads][Simd.L];
        sinks = new long[threads * 16];
    }

    private static MemorySegment hugePages(long size) {
        try {
            java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
            var libc = linker.defaultLookup();
            var mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            var madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), java.lang.foreign.FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            long two = 2L << 20;
            MemorySegment raw = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, size + two, 3, 0x22, -1, 0L);
            long at = (raw.address() + two - 1) & -two;
            MemorySegment seg = MemorySegment.ofAddress(at).reinterpret(size);
            int rc = (int) madvise.invokeExact(seg, size, 14);
            System.out.println("# madvise(MADV_HUGEPAGE) = " + rc);
            return seg;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static String anonHuge() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps_rollup")).stream()
                    .filter(l -> l.startsWith("AnonHugePages")).findFirst().orElse("no AnonHugePages line");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    /** fp32 activations: {@code Matmul.multiply} of one row per item (the int8 decode path). */
    @Benchmark
    public float int8() {
        int items = (rows + itemRows - 1) / itemRows;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            Matmul.multiply(matrix, x, 1, y, null, r0, Math.min(rows, r0 + itemRows), scratch[worker], lanes[worker]);
        });
        return y[1];
    }

    /**
     * int8 activations (quantized once, outside): {@code Q8Matrix.multiplyQuantized} per item (W8A8; four
     * rows a quarter of the item apart, 64-byte loads — the form measured as {@code w8a8Wide4} before the
     * engine took it over).
     */
    @Benchmark
    public float w8a8() {
        int items = (rows + itemRows - 1) / itemRows;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            matrix.multiplyQuantized(xa, 1, y, 0, null, r0, Math.min(rows, r0 + itemRows), lanes[worker]);
        });
        return y[1];
    }

    /** The W8A8 arithmetic on two rows half the item apart, one 64-byte load per block, on a raw copy of the layout. */
    @Benchmark
    public float w8a8Wide() {
        int items = (rows + itemRows - 1) / itemRows;
        int blocks = cols / 64;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int half = (r1 - r0) / 2;
            for (int j = 0; j < half; j++) {
                int ra = r0 + j;
                int rb = ra + half;
                long ba = (long) ra * cols;
                long bb = (long) rb * cols;
                FloatVector accA = FloatVector.zero(F16);
                FloatVector accB = accA;
                for (int blk = 0; blk < blocks; blk++) {
                    int c = blk * 64;
                    ShortVector x0 = ShortVector.fromArray(S32, xq, c);
                    ShortVector x1 = ShortVector.fromArray(S32, xq, c + 32);
                    ByteVector va = ByteVector.fromMemorySegment(B64, q, ba + c, LE);
                    ByteVector vb = ByteVector.fromMemorySegment(B64, q, bb + c, LE);
                    IntVector pa = ((ShortVector) va.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) va.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    IntVector pb = ((ShortVector) vb.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) vb.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    pa = pa.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pa.lanewise(VectorOperators.ASHR, 16));
                    pb = pb.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pb.lanewise(VectorOperators.ASHR, 16));
                    accA = ((FloatVector) pa.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[ra * blocks + blk]), accA);
                    accB = ((FloatVector) pb.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[rb * blocks + blk]), accB);
                }
                y[ra] = accA.reduceLanes(VectorOperators.ADD);
                y[rb] = accB.reduceLanes(VectorOperators.ADD);
            }
        });
        return y[1];
    }

    /** The same bytes, two streams per item as the kernels read them, 16-byte loads, no arithmetic but an add. */
    @Benchmark
    public int read16() {
        return read(16);
    }

    /** {@link #read16} with 64-byte loads. */
    @Benchmark
    public int read64() {
        return read(64);
    }

    private int read(int width) {
        int items = (rows + itemRows - 1) / itemRows;
        int[] sink = new int[items];
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int half = (r1 - r0) / 2;
            long a = (long) r0 * cols;
            long b = (long) (r0 + half) * cols;
            long n = (long) half * cols;
            ByteVector acc = ByteVector.zero(B64);
            ByteVector acc16 = ByteVector.zero(B16);
            for (long o = 0; o < n; o += width) {
                if (width == 64) {
                    acc = acc.add(ByteVector.fromMemorySegment(B64, q, a + o, LE)).add(ByteVector.fromMemorySegment(B64, q, b + o, LE));
                } else {
                    acc16 = acc16.add(ByteVector.fromMemorySegment(B16, q, a + o, LE)).add(ByteVector.fromMemorySegment(B16, q, b + o, LE));
                }
            }
            sink[item] = acc.lane(0) + acc16.lane(0);
        });
        return sink[0];
    }

    /** {@link #read16} plus one long loaded {@code touch} bytes ahead of each stream per 64 bytes. */
    @Benchmark
    public long read16Touch() {
        int items = (rows + itemRows - 1) / itemRows;
        long limit = q.byteSize() - 8;
        long d = touch;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int half = (r1 - r0) / 2;
            long a = (long) r0 * cols;
            long b = (long) (r0 + half) * cols;
            long n = (long) half * cols;
            ByteVector acc16 = ByteVector.zero(B16);
            long sink = 0;
            for (long o = 0; o < n; o += 64) {
                sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(a + o + d, limit));
                sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(b + o + d, limit));
                acc16 = acc16.add(ByteVector.fromMemorySegment(B16, q, a + o, LE)).add(ByteVector.fromMemorySegment(B16, q, b + o, LE))
                        .add(ByteVector.fromMemorySegment(B16, q, a + o + 16, LE)).add(ByteVector.fromMemorySegment(B16, q, b + o + 16, LE))
                        .add(ByteVector.fromMemorySegment(B16, q, a + o + 32, LE)).add(ByteVector.fromMemorySegment(B16, q, b + o + 32, LE))
                        .add(ByteVector.fromMemorySegment(B16, q, a + o + 48, LE)).add(ByteVector.fromMemorySegment(B16, q, b + o + 48, LE));
            }
            sinks[worker * 16] += sink + acc16.lane(0);
        });
        return sinks[0];
    }

    /**
     * The engine's int8 decode arithmetic ({@code Q8Matrix.dot2}: two rows half the item apart, 16-byte
     * loads widened to fp32, times the block's scale, FMA) on a raw copy of the layout, plus one long loaded
     * {@code touch} bytes ahead of each row per block.
     */
    @Benchmark
    public long int8Touch() {
        int items = (rows + itemRows - 1) / itemRows;
        int blocks = cols / 64;
        long limit = q.byteSize() - 8;
        long d = touch;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int half = (r1 - r0) / 2;
            long sink = 0;
            for (int j = 0; j < half; j++) {
                int ra = r0 + j;
                int rb = ra + half;
                long ba = (long) ra * cols;
                long bb = (long) rb * cols;
                FloatVector accA = FloatVector.zero(F16);
                FloatVector accB = accA;
                for (int blk = 0; blk < blocks; blk++) {
                    int c = blk * 64;
                    long o = (long) c;
                    sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(ba + o + d, limit));
                    sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(bb + o + d, limit));
                    FloatVector ka = FloatVector.broadcast(F16, ws[ra * blocks + blk]);
                    FloatVector kb = FloatVector.broadcast(F16, ws[rb * blocks + blk]);
                    for (int p = 0; p < 4; p++) {
                        FloatVector xv = FloatVector.fromArray(F16, x, c + 16 * p);
                        accA = ((FloatVector) ByteVector.fromMemorySegment(B16, q, ba + o + 16 * p, LE).convertShape(VectorOperators.B2F, F16, 0))
                                .mul(ka).fma(xv, accA);
                        accB = ((FloatVector) ByteVector.fromMemorySegment(B16, q, bb + o + 16 * p, LE).convertShape(VectorOperators.B2F, F16, 0))
                                .mul(kb).fma(xv, accB);
                    }
                }
                y[ra] = accA.reduceLanes(VectorOperators.ADD);
                y[rb] = accB.reduceLanes(VectorOperators.ADD);
            }
            sinks[worker * 16] += sink;
        });
        return sinks[0] + (long) y[1];
    }

    /** {@link #w8a8Wide}'s arithmetic on four rows a quarter of the item apart (the engine's W8A8 decode), plus touch loads. */
    @Benchmark
    public long w8a8Touch() {
        int items = (rows + itemRows - 1) / itemRows;
        int blocks = cols / 64;
        long limit = q.byteSize() - 8;
        long d = touch;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int quarter = (r1 - r0) / 4;
            long step = (long) quarter * cols;
            long sink = 0;
            for (int j = 0; j < quarter; j++) {
                int r = r0 + j;
                long b0 = (long) r * cols;
                FloatVector a0 = FloatVector.zero(F16);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int blk = 0; blk < blocks; blk++) {
                    int c = blk * 64;
                    long o = b0 + c;
                    sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(o + d, limit));
                    sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(o + step + d, limit));
                    sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(o + 2 * step + d, limit));
                    sink ^= q.get(ValueLayout.JAVA_LONG_UNALIGNED, Math.min(o + 3 * step + d, limit));
                    ShortVector x0 = ShortVector.fromArray(S32, xq, c);
                    ShortVector x1 = ShortVector.fromArray(S32, xq, c + 32);
                    ByteVector v0 = ByteVector.fromMemorySegment(B64, q, o, LE);
                    ByteVector v1 = ByteVector.fromMemorySegment(B64, q, o + step, LE);
                    ByteVector v2 = ByteVector.fromMemorySegment(B64, q, o + 2 * step, LE);
                    ByteVector v3 = ByteVector.fromMemorySegment(B64, q, o + 3 * step, LE);
                    IntVector p0 = ((ShortVector) v0.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) v0.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    IntVector p1 = ((ShortVector) v1.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) v1.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    IntVector p2 = ((ShortVector) v2.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) v2.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    IntVector p3 = ((ShortVector) v3.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) v3.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    p0 = p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p0.lanewise(VectorOperators.ASHR, 16));
                    p1 = p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p1.lanewise(VectorOperators.ASHR, 16));
                    p2 = p2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p2.lanewise(VectorOperators.ASHR, 16));
                    p3 = p3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p3.lanewise(VectorOperators.ASHR, 16));
                    int w = r * blocks + blk;
                    a0 = ((FloatVector) p0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[w]), a0);
                    a1 = ((FloatVector) p1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[w + quarter * blocks]), a1);
                    a2 = ((FloatVector) p2.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[w + 2 * quarter * blocks]), a2);
                    a3 = ((FloatVector) p3.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[w + 3 * quarter * blocks]), a3);
                }
                y[r] = a0.reduceLanes(VectorOperators.ADD);
                y[r + quarter] = a1.reduceLanes(VectorOperators.ADD);
                y[r + 2 * quarter] = a2.reduceLanes(VectorOperators.ADD);
                y[r + 3 * quarter] = a3.reduceLanes(VectorOperators.ADD);
            }
            sinks[worker * 16] += sink;
        });
        return sinks[0] + (long) y[1];
    }
}
