package dev.switchboard.gptj.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command line as a user (or an outside check) runs it: exit codes, stdout, error messages. */
class GptjCliTest {

    record Run(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GptjCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static final JsonNode TINY_CASE = Fixtures.json(Fixtures.tiny().resolve("reference.json")).get("cases").get(1);

    private static String ids(JsonNode array) {
        List<String> s = new ArrayList<>();
        array.forEach(n -> s.add(n.asString()));
        return String.join(",", s);
    }

    @Test
    void everyHelpTextRendersWithoutFormatWarnings() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String command : List.of("generate", "logits", "bench", "random-init", "bandwidth")) {
                Run help = run(command, "--help");
                assertThat(help.code()).as(command).isZero();
                assertThat(help.out()).as(command).startsWith("Usage: gptj " + command).doesNotContain("%n");
            }
            assertThat(run("bench", "--help").out().replaceAll("\\s+", " ")).contains("(about +15% on average)");
        } finally {
            System.setErr(original);
        }
        // picocli reports a description it cannot format (e.g. a bare '%') on System.err
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void logitsPrintsLastAndArgmaxAsHfComputesThem() {
        Run r = run("logits", "--model", Fixtures.tiny().toString(), "--ids", ids(TINY_CASE.get("input_ids")), "--threads", "2");
        assertThat(r.code()).isZero();
        JsonNode j = r.json();
        assertThat(j.propertyNames()).containsExactly("last", "argmax");
        float[] expected = Fixtures.floats(TINY_CASE.get("last_logits"));
        assertThat(j.get("last").size()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(j.get("last").get(i).asDouble()).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(Fixtures.ints(j.get("argmax"))).containsExactly(Fixtures.ints(TINY_CASE.get("argmax_per_position")));
    }

    @Test
    void generateWithIdsPrintsTheGreedyTokens() {
        Run r = run("generate", "--model", Fixtures.tiny().toString(), "--ids", ids(TINY_CASE.get("input_ids")),
                "--max-tokens", "20", "--json");
        assertThat(r.code()).isZero();
        assertThat(Fixtures.ints(r.json().get("ids"))).containsExactly(Fixtures.ints(TINY_CASE.get("greedy_20")));
        assertThat(r.json().get("finish_reason").asString()).isEqualTo("length");
        assertThat(r.json().get("text").isNull()).isTrue(); // the tiny fixture has no tokenizer

        Run plain = run("generate", "--model", Fixtures.tiny().toString(), "--ids", ids(TINY_CASE.get("input_ids")),
                "--max-tokens", "20");
        assertThat(plain.out().strip()).isEqualTo(ids(TINY_CASE.get("greedy_20")));
    }

    @Test
    void generateWithInt8ActivationsRuns() {
        Run r = run("generate", "--model", Fixtures.tiny().toString(), "--ids", "1,2,3", "--max-tokens", "5", "--json",
                "--int8", "--int8-activations");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"completion_tokens\":5");
    }

    @Test
    void aBf16KvCacheKeepsTheTinyFixturesGreedyTokens() {
        Run r = run("generate", "--model", Fixtures.tiny().toString(), "--ids", ids(TINY_CASE.get("input_ids")),
                "--max-tokens", "20", "--json", "--kv-cache", "bf16");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Fixtures.ints(r.json().get("ids"))).containsExactly(Fixtures.ints(TINY_CASE.get("greedy_20")));
    }

    @Test
    void generateStreamsTextWithATokenizer() {
        JsonNode c = Fixtures.json(Fixtures.small().resolve("reference.json")).get("cases").get(0);
        Run r = run("generate", "--model", Fixtures.small().toString(), "--tokenizer", Fixtures.tokenizer().toString(),
                "--prompt", c.get("prompt").asString(), "--max-tokens", "20", "--stream");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(c.get("greedy_20_text").asString() + System.lineSeparator());
    }

    @Test
    void randomInitWritesShardedCheckpointsTheOtherCommandsRead(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("config.json");
        java.nio.file.Files.writeString(cfg, "{\"n_embd\": 48, \"n_layer\": 2, \"n_head\": 3, \"rotary_dim\": 8,"
                + " \"vocab_size\": 500, \"n_positions\": 64}");
        Run init = run("random-init", "--config", cfg.toString(), "--out", tmp.resolve("m").toString(), "--dtype", "bf16",
                "--shards", "3", "--legacy-buffers");
        assertThat(init.code()).isZero();
        assertThat(tmp.resolve("m/model.safetensors.index.json")).exists();
        assertThat(tmp.resolve("m/model-00003-of-00003.safetensors")).exists();
        Run logits = run("logits", "--model", tmp.resolve("m").toString(), "--ids", "1,2,3,499");
        assertThat(logits.code()).isZero();
        assertThat(logits.json().get("last").size()).isEqualTo(500);
        assertThat(logits.json().get("argmax").size()).isEqualTo(4);
        Run bench = run("bench", "--model", tmp.resolve("m").toString(), "--input", "8", "--output", "4",
                "--batch", "1,2", "--json", "--no-bandwidth", "--int8");
        assertThat(bench.code()).isZero();
        List<JsonNode> lines = bench.out().lines().map(l -> JsonMapper.builder().build().readTree(l)).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).get("batch").asInt()).isEqualTo(2);
        assertThat(lines.get(1).get("tokens_per_s").asDouble()).isPositive();
    }

    @Test
    void benchProfileSaysWhereDecodeAndPrefillStepsGo() throws Exception {
        Run table = run("bench", "--model", Fixtures.tiny().toString(), "--input", "6", "--output", "5", "--batch", "1,2",
                "--no-bandwidth", "--profile");
        assertThat(table.code()).isZero();
        List<String> steps = table.out().lines().filter(l -> l.startsWith("# decode step")).toList();
        assertThat(steps).hasSize(2).allSatisfy(l -> assertThat(l)
                .containsPattern("mean of \\d+\\): q/k/v \\+ fc_in [0-9.]+ ms \\(\\d+%\\); attention [0-9.]+ ms")
                .contains("out + fc_out", "ln_f + lm_head", "ln_1, rotary, KV store, residual"));
        List<String> prefill = table.out().lines().filter(l -> l.startsWith("# prefill step")).toList();
        assertThat(prefill).hasSize(2).allSatisfy(l -> assertThat(l)
                .containsPattern("mean of \\d+\\): q/k/v \\+ fc_in [0-9.]+ ms \\(\\d+%\\); attention [0-9.]+ ms"));

        Run json = run("bench", "--model", Fixtures.tiny().toString(), "--input", "6", "--output", "5", "--no-bandwidth",
                "--profile", "--json");
        assertThat(json.code()).isZero();
        JsonNode stepMs = json.json().get("step_ms");
        assertThat(stepMs.propertyNames()).containsExactly("qkv_fc_in", "attention", "out_fc_out", "lm_head", "other");
        assertThat(stepMs.get("qkv_fc_in").asDouble()).isPositive();
        assertThat(json.json().get("prefill_step_ms").propertyNames())
                .containsExactly("qkv_fc_in", "attention", "out_fc_out", "lm_head", "other");

        assertThat(json.json().get("kv_cache").asString()).isEqualTo("f32");

        Run plain = run("bench", "--model", Fixtures.tiny().toString(), "--input", "6", "--output", "5", "--no-bandwidth",
                "--json", "--kv-cache", "BF16");
        assertThat(plain.json().get("kv_cache").asString()).isEqualTo("bf16");
        assertThat(plain.json().has("step_ms")).isFalse();
        assertThat(plain.json().has("prefill_step_ms")).isFalse();
    }

    @Test
    void badInputIsOneClearLineAndExitCodeOne(@TempDir Path tmp) {
        Run missing = run("logits", "--model", tmp.resolve("absent").toString(), "--ids", "1");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: ").contains("absent").contains("no such model directory");

        Run range = run("logits", "--model", Fixtures.tiny().toString(), "--ids", "1,1024");
        assertThat(range.code()).isEqualTo(1);
        assertThat(range.err()).contains("token id 1024 at prompt position 1 is out of range");

        Run cuda = run("generate", "--model", Fixtures.tiny().toString(), "--ids", "1", "--device", "cuda");
        assertThat(cuda.code()).isEqualTo(1);
        assertThat(cuda.err()).contains("CUDA backend not available");

        Run activations = run("generate", "--model", Fixtures.tiny().toString(), "--ids", "1", "--int8-activations");
        assertThat(activations.code()).isEqualTo(1);
        assertThat(activations.err()).startsWith("error: ").contains("--int8-activations needs --int8");

        Run kv = run("generate", "--model", Fixtures.tiny().toString(), "--ids", "1", "--kv-cache", "f16");
        assertThat(kv.code()).isEqualTo(1);
        assertThat(kv.err()).startsWith("error: ").contains("KV cache format must be f32 or bf16, got 'f16'");

        Run kvCuda = run("generate", "--model", Fixtures.tiny().toString(), "--ids", "1", "--device", "cuda", "--kv-cache", "bf16");
        assertThat(kvCuda.code()).isEqualTo(1);
        assertThat(kvCuda.err()).contains("CUDA backend not available").contains("drop --kv-cache");

        Run usage = run("generate", "--model", Fixtures.tiny().toString(), "--ids", "one");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("--ids");
    }
}
