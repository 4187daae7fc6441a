package dev.switchboard.gptj.internal.safetensors;

import dev.switchboard.gptj.ModelLoadException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A safetensors file mapped into memory: an 8-byte little-endian header length N, N bytes of JSON
 * header, then the tensor bytes. Every offset in the header is checked against the file's real size
 * before any tensor memory is touched, so a lying or truncated file yields a {@link ModelLoadException}
 * naming the file and tensor, never a fault.
 */
public final class SafetensorsFile {

    /** The reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path path;
    private final Map<String, Tensor> tensors;

    private SafetensorsFile(Path path, Map<String, Tensor> tensors) {
        this.path = path;
        this.tensors = tensors;
    }

    /** Parses and validates the header and maps the file into {@code arena} (which owns the mapping). */
    public static SafetensorsFile open(Path path, Arena arena) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw fail(path, "is " + size + " bytes long, too short for a safetensors header (truncated or not a safetensors file)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw fail(path, "declares a header of " + Long.toUnsignedString(headerLen) + " bytes but the file has "
                        + (size - 8) + " bytes after the length field (truncated, or not a safetensors file)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            List<Entry> entries = parseHeader(path, new String(headerBuf.array(), StandardCharsets.UTF_8), dataLen);
            checkNoOverlap(path, entries);
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                MemorySegment data = file.asSlice(dataStart + e.begin, e.end - e.begin).asReadOnly();
                tensors.put(e.name, new Tensor(e.name, e.dtype, e.shape, data, path));
            }
            return new SafetensorsFile(path, Collections.unmodifiableMap(tensors));
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(path + ": no such file");
        } catch (IOException e) {
            throw new ModelLoadException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Tensors in header order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static List<Entry> parseHeader(Path path, String json, long dataLen) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw fail(path, "has a header that is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail(path, "has a header that is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            entries.add(parseEntry(path, name, field.getValue(), dataLen));
        }
        return entries;
    }

    private static Entry parseEntry(Path path, String name, JsonNode node, long dataLen) {
        String where = "tensor '" + name + "'";
        if (!node.isObject() || !node.path("dtype").isString() || !node.path("shape").isArray()
                || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
            throw fail(path, where + ": header entry needs dtype (string), shape (array) and data_offsets ([begin, end])");
        }
        String dtypeName = node.get("dtype").asString();
        DType dtype = DType.parse(dtypeName)
                .orElseThrow(() -> fail(path, where + ": unknown dtype '" + dtypeName + "'"));
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw fail(path, where + ": shape " + shapeNode + " must hold non-negative integers");
            }
            shape[i] = d.asLong();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException overflow) {
                throw fail(path, where + ": shape " + shapeNode + " is impossibly large");
            }
        }
        JsonNode offs = node.get("data_offsets");
        if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()
                || !offs.get(0).canConvertToLong() || !offs.get(1).canConvertToLong()) {
            throw fail(path, where + ": data_offsets " + offs + " must be two integers");
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw fail(path, where + ": data_offsets " + offs + " are not an ascending pair of non-negative offsets");
        }
        if (end > dataLen) {
            throw fail(path, where + ": data_offsets " + offs + " reach byte " + end + " of the data section but it has only "
                    + dataLen + " bytes (file truncated or header lying about offsets)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException overflow) {
            throw fail(path, where + ": shape " + shapeNode + " is impossibly large");
        }
        if (end - begin != expected) {
            throw fail(path, where + ": " + dtype + shapeNode + " needs " + expected + " bytes but data_offsets " + offs
                    + " span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path path, List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            Entry cur = sorted.get(i);
            if (cur.begin < prev.end) {
                throw fail(path, "tensors '" + prev.name + "' and '" + cur.name + "' overlap in the data section (corrupt header)");
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    static ModelLoadException fail(Path path, String what) {
        return new ModelLoadException(path + ": " + what);
    }
}
