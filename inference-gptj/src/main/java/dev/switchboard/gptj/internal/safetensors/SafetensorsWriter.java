package dev.switchboard.gptj.internal.safetensors;

import dev.switchboard.gptj.internal.kernel.Simd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes safetensors files that HF {@code safetensors}/{@code transformers} load: header padded with
 * spaces to a multiple of 8 bytes, {@code __metadata__ = {"format": "pt"}}, tensors stored back to back
 * in the order given. Values are produced by a {@link Source} and converted to the file's dtype as they
 * are written, so files far larger than the heap can be made.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    /** Produces the values of one tensor, in row-major order, a block at a time. */
    @FunctionalInterface
    public interface Source {
        /** Fills {@code out[0..count)} with the elements starting at flat index {@code start}. */
        void fill(long start, float[] out, int count);
    }

    /** One tensor to write; {@code dtype} is F32, F16, BF16 (converted from the source) or U8 (source values cast). */
    public record Spec(String name, DType dtype, long[] shape, Source source) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    public static void write(Path file, List<Spec> specs) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode header = json.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Spec s : specs) {
            long bytes = s.elements() * s.dtype().bytes();
            ObjectNode t = header.putObject(s.name());
            t.put("dtype", s.dtype().name());
            var shape = t.putArray("shape");
            Arrays.stream(s.shape()).forEach(shape::add);
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] headerPadded = Arrays.copyOf(headerBytes, padded);
        Arrays.fill(headerPadded, headerBytes.length, padded, (byte) ' ');
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(padded).put(headerPadded);
            float[] block = new float[1 << 16];
            for (Spec s : specs) {
                long n = s.elements();
                for (long start = 0; start < n; start += block.length) {
                    int count = (int) Math.min(block.length, n - start);
                    s.source().fill(start, block, count);
                    for (int i = 0; i < count; i++) {
                        if (buf.remaining() < 4) {
                            drain(ch, buf);
                        }
                        put(buf, s.dtype(), block[i]);
                    }
                }
            }
            drain(ch, buf);
        }
    }

    private static void put(ByteBuffer buf, DType dtype, float v) {
        switch (dtype) {
            case F32 -> buf.putFloat(v);
            case F16 -> buf.putShort(Float.floatToFloat16(v));
            case BF16 -> buf.putShort(Simd.toBf16(v));
            case U8, BOOL -> buf.put((byte) (int) v);
            case F64, I64, I32, I16, I8, U64, U32, U16, F8_E4M3, F8_E5M2 ->
                    throw new IllegalArgumentException("writing " + dtype + " is not supported");
        }
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
