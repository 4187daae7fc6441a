package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.policy.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures {@link TokenCounter#estimating()} against the real GPT-J tokenizer, using a small
 * reference byte-level BPE over the tokenizer's {@code tokenizer.json}. Not a test (the tokenizer is
 * 3.5 MB of fixture outside this module): run it by hand after changing the estimator, e.g.
 * <pre>java -cp target/test-classes:target/classes:$CP dev.switchboard.engine.internal.policy.TokenEstimatorCalibration \
 *     ../../shared/fixtures/gptj/tokenizer/tokenizer.json src/test/resources/policy/*.jsonl</pre>
 */
public final class TokenEstimatorCalibration {

    private static final Pattern PRE = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final Map<String, Integer> ranks = new HashMap<>();
    private final char[] byteToChar = new char[256];

    private TokenEstimatorCalibration(Path tokenizer) throws Exception {
        JsonNode t = JsonMapper.builder().build().readTree(tokenizer.toFile());
        int rank = 0;
        for (JsonNode m : t.get("model").get("merges")) {
            ranks.put(m.isArray() ? m.get(0).asString() + " " + m.get(1).asString() : m.asString(), rank++);
        }
        // GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the rest to U+0100...
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE;
            byteToChar[b] = printable ? (char) b : (char) (256 + next++);
        }
    }

    int count(String s) {
        int c = 0;
        Matcher m = PRE.matcher(s);
        while (m.find()) {
            c += bpe(m.group());
        }
        return c;
    }

    private int bpe(String word) {
        List<String> parts = new ArrayList<>();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            parts.add(String.valueOf(byteToChar[b & 0xff]));
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i < parts.size() - 1; i++) {
                Integer r = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, parts.get(best) + parts.remove(best + 1));
        }
        return parts.size();
    }

    public static void main(String[] args) throws Exception {
        TokenEstimatorCalibration real = new TokenEstimatorCalibration(Path.of(args[0]));
        JsonMapper json = JsonMapper.builder().build();
        List<Double> errors = new ArrayList<>();
        long realTotal = 0;
        long estimatedTotal = 0;
        for (int i = 1; i < args.length; i++) {
            for (String line : Files.readAllLines(Path.of(args[i]))) {
                if (line.isBlank()) {
                    continue;
                }
                String text = json.readTree(line).get("text").asString();
                int r = real.count(text);
                int e = TokenCounter.estimating().count(text);
                realTotal += r;
                estimatedTotal += e;
                errors.add(Math.abs(e - r) / (double) Math.max(1, r));
            }
        }
        errors.sort(null);
        System.out.printf("texts=%d real=%d estimated=%d ratio=%.3f mean|err|=%.3f p90|err|=%.3f%n", errors.size(), realTotal,
                estimatedTotal, estimatedTotal / (double) realTotal, errors.stream().mapToDouble(d -> d).average().orElse(0),
                errors.get((int) (errors.size() * 0.9)));
    }
}
