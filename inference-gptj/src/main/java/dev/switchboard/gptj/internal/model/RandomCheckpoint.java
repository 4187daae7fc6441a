package dev.switchboard.gptj.internal.model;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.internal.safetensors.Checkpoint;
import dev.switchboard.gptj.internal.safetensors.DType;
import dev.switchboard.gptj.internal.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a GPT-J checkpoint of any shape with random weights, in HF's layout (so HF
 * {@code GPTJForCausalLM.from_pretrained} loads it): matrices and biases ~ N(0, 0.02) as HF initialises
 * them, LayerNorm weights 1 + N(0, 0.05) and biases N(0, 0.02) so LayerNorm is exercised. Each tensor
 * has its own random stream (from the seed and its name), so the values do not depend on dtype or sharding.
 */
public final class RandomCheckpoint {

    /** What to write. {@code shards} ≥ 2 writes {@code model-0000i-of-0000N.safetensors} plus the index. */
    public record Options(DType dtype, int shards, long seed, boolean legacyBuffers) {
        public Options {
            if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
                throw new IllegalArgumentException("dtype must be f32, f16 or bf16, got " + dtype);
            }
            if (shards < 1) {
                throw new IllegalArgumentException("shards must be ≥ 1, got " + shards);
            }
        }
    }

    private RandomCheckpoint() {
    }

    public static void write(GptjConfig c, Path out, Options o, LoadListener listener) throws IOException {
        Files.createDirectories(out);
        List<SafetensorsWriter.Spec> specs = specs(c, o);
        String torchDtype = o.dtype() == DType.F16 ? "float16" : o.dtype() == DType.BF16 ? "bfloat16" : "float32";
        JsonMapper json = JsonMapper.builder().build();
        Files.writeString(out.resolve("config.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(ConfigFile.toJson(c, torchDtype)));
        if (o.shards() == 1) {
            listener.note("writing " + Checkpoint.SINGLE_FILE);
            SafetensorsWriter.write(out.resolve(Checkpoint.SINGLE_FILE), specs);
            return;
        }
        List<List<SafetensorsWriter.Spec>> groups = split(specs, o.shards());
        ObjectNode index = json.createObjectNode();
        long total = specs.stream().mapToLong(s -> bytes(s)).sum();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        for (int i = 0; i < groups.size(); i++) {
            String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, groups.size());
            listener.note("writing " + name);
            SafetensorsWriter.write(out.resolve(name), groups.get(i));
            groups.get(i).forEach(s -> map.put(s.name(), name));
        }
        Files.writeString(out.resolve(Checkpoint.INDEX_FILE), json.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    }

    static List<SafetensorsWriter.Spec> specs(GptjConfig c, Options o) {
        long d = c.nEmbd();
        long inner = c.nInner();
        long vocab = c.vocabSize();
        List<SafetensorsWriter.Spec> specs = new ArrayList<>();
        Maker m = new Maker(o);
        specs.add(m.normal("transformer.wte.weight", 0.02, vocab, d));
        for (int i = 0; i < c.nLayer(); i++) {
            String p = "transformer.h." + i + ".";
            specs.add(m.layerNormWeight(p + "ln_1.weight", d));
            specs.add(m.normal(p + "ln_1.bias", 0.02, d));
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                specs.add(m.normal(p + "attn." + proj + ".weight", 0.02, d, d));
            }
            specs.add(m.normal(p + "mlp.fc_in.weight", 0.02, inner, d));
            specs.add(m.normal(p + "mlp.fc_in.bias", 0.02, inner));
            specs.add(m.normal(p + "mlp.fc_out.weight", 0.02, d, inner));
            specs.add(m.normal(p + "mlp.fc_out.bias", 0.02, d));
            if (o.legacyBuffers()) {
                long n = c.nPositions();
                specs.add(new SafetensorsWriter.Spec(p + "attn.bias", DType.U8, new long[] {1, 1, n, n},
                        (start, buf, count) -> {
                            for (int k = 0; k < count; k++) {
                                long idx = start + k;
                                buf[k] = idx % n <= idx / n ? 1 : 0;
                            }
                        }));
                specs.add(new SafetensorsWriter.Spec(p + "attn.masked_bias", DType.F32, new long[] {},
                        (start, buf, count) -> buf[0] = -1e9f));
            }
        }
        specs.add(m.layerNormWeight("transformer.ln_f.weight", d));
        specs.add(m.normal("transformer.ln_f.bias", 0.02, d));
        if (!c.tieWordEmbeddings()) {
            specs.add(m.normal("lm_head.weight", 0.02, vocab, d));
        }
        specs.add(m.normal("lm_head.bias", 0.02, vocab));
        return specs;
    }

    private record Maker(Options o) {
        SafetensorsWriter.Spec normal(String name, double std, long... shape) {
            return new SafetensorsWriter.Spec(name, o.dtype(), shape, gaussian(name, 0, std));
        }

        SafetensorsWriter.Spec layerNormWeight(String name, long n) {
            return new SafetensorsWriter.Spec(name, o.dtype(), new long[] {n}, gaussian(name, 1, 0.05));
        }

        /** A sequential stream: the writer asks for elements in order. */
        SafetensorsWriter.Source gaussian(String name, double mean, double std) {
            SplittableRandom rnd = new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + name.hashCode());
            return (start, buf, count) -> {
                for (int k = 0; k < count; k++) {
                    buf[k] = (float) (mean + std * rnd.nextGaussian());
                }
            };
        }
    }

    private static long bytes(SafetensorsWriter.Spec s) {
        long n = s.dtype().bytes();
        for (long dim : s.shape()) {
            n *= dim;
        }
        return n;
    }

    /** Consecutive groups of about equal bytes (every group non-empty). */
    private static List<List<SafetensorsWriter.Spec>> split(List<SafetensorsWriter.Spec> specs, int shards) {
        int n = Math.min(shards, specs.size());
        long total = specs.stream().mapToLong(RandomCheckpoint::bytes).sum();
        List<List<SafetensorsWriter.Spec>> groups = new ArrayList<>();
        List<SafetensorsWriter.Spec> cur = new ArrayList<>();
        long acc = 0;
        for (int i = 0; i < specs.size(); i++) {
            cur.add(specs.get(i));
            acc += bytes(specs.get(i));
            int remainingSpecs = specs.size() - i - 1;
            int remainingGroups = n - groups.size() - 1;
            boolean full = acc >= total * (groups.size() + 1) / n;
            if (remainingGroups > 0 && (full || remainingSpecs == remainingGroups)) {
                groups.add(cur);
                cur = new ArrayList<>();
            }
        }
        groups.add(cur);
        return groups;
    }
}
