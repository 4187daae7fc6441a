package dev.switchboard.gateway.internal.local;

import dev.switchboard.gptj.KvCacheFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One model the {@code local} provider serves, read from the provider's {@code options}:
 * {@code models.<name>.path} (a GPT-J checkpoint directory: {@code config.json} and safetensors),
 * {@code models.<name>.tokenizer} (directory with {@code tokenizer.json}; default the model directory),
 * {@code models.<name>.int8}, {@code .int8-activations}, {@code .kv-cache}, {@code .threads}, {@code .max-batch-size}, {@code .repetition-penalty},
 * {@code .default-max-tokens}, {@code .warm-up}. Provider-wide defaults: the same keys without {@code models.<name>.}.
 *
 * @param name              the model name in refs ({@code local/<name>})
 * @param path              checkpoint directory
 * @param tokenizer         tokenizer directory, or null to look in {@code path}
 * @param int8              quantize weights to int8 at load (about 1 byte per parameter resident)
 * @param int8Activations   with int8: generated tokens' activations quantized to int8 too (W8A8: faster
 *                          decode of 1 to 3 sequences, slower batches of 4 or more)
 * @param kvCache           how keys and values are kept ({@code f32}, exact; {@code bf16}: half the memory per
 *                          sequence, faster decode at long contexts)
 * @param threads           compute threads of this model's engine
 * @param maxBatchSize      sequences decoded together (continuous batching)
 * @param repetitionPenalty HF repetition penalty (1 = off)
 * @param defaultMaxTokens  tokens generated when a request sets no {@code maxTokens}
 * @param warmUp            run {@link dev.switchboard.gptj.GptjEngine#warmUp} at start, so the first request does
 *                          not pay for compiling the kernels
 */
record LocalModelConfig(String name, Path path, Path tokenizer, boolean int8, boolean int8Activations, KvCacheFormat kvCache,
                        int threads, int maxBatchSize,
                        double repetitionPenalty, int defaultMaxTokens, boolean warmUp) {

    private static final String PREFIX = "models.";

    /**
     * Parses every {@code models.<name>.*} option.
     *
     * @throws IllegalArgumentException naming the option ({@code providers.<provider>.options.models.x.threads})
     */
    static Map<String, LocalModelConfig> parse(String provider, Map<String, String> options, int gatewayDefaultMaxTokens) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : options.keySet()) {
            if (key.startsWith(PREFIX)) {
                int dot = key.indexOf('.', PREFIX.length());
                if (dot < 0) {
                    throw new IllegalArgumentException(setting(provider, key) + ": expected models.<name>.<setting>");
                }
                names.add(key.substring(PREFIX.length(), dot));
            }
        }
        Map<String, LocalModelConfig> models = new LinkedHashMap<>();
        for (String name : names) {
            Function<String, String> get = k -> {
                String v = options.get(PREFIX + name + "." + k);
                return v != null ? v : options.get(k);
            };
            String path = get.apply("path");
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException(setting(provider, PREFIX + name + ".path")
                        + " must name the model's checkpoint directory");
            }
            String tokenizer = get.apply("tokenizer");
            boolean int8 = bool(provider, name, "int8", get.apply("int8"), false);
            boolean int8Activations = bool(provider, name, "int8-activations", get.apply("int8-activations"), false);
            if (int8Activations && !int8) {
                throw new IllegalArgumentException(setting(provider, PREFIX + name + ".int8-activations")
                        + " needs int8: true (it quantizes activations for int8 weights)");
            }
            models.put(name, new LocalModelConfig(name, Path.of(path.strip()),
                    tokenizer == null || tokenizer.isBlank() ? null : Path.of(tokenizer.strip()),
                    int8, int8Activations, kvCache(provider, name, get.apply("kv-cache")),
                    integer(provider, name, "threads", get.apply("threads"), Runtime.getRuntime().availableProcessors()),
                    integer(provider, name, "max-batch-size", get.apply("max-batch-size"), 16),
                    decimal(provider, name, "repetition-penalty", get.apply("repetition-penalty"), 1.0),
                    integer(provider, name, "default-max-tokens", get.apply("default-max-tokens"), gatewayDefaultMaxTokens),
                    bool(provider, name, "warm-up", get.apply("warm-up"), true)));
        }
        return models;
    }

    static String setting(String provider, String key) {
        return "providers." + provider + ".options." + key;
    }

    private static boolean bool(String provider, String model, String key, String value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(setting(provider, PREFIX + model + "." + key)
                    + " must be true or false (was '" + value + "')");
        };
    }

    private static KvCacheFormat kvCache(String provider, String model, String value) {
        if (value == null) {
            return KvCacheFormat.F32;
        }
        try {
            return KvCacheFormat.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting(provider, PREFIX + model + ".kv-cache") + " must be f32 or bf16 (was '"
                    + value + "')", e);
        }
    }

    private static int integer(String provider, String model, String key, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(setting(provider, PREFIX + model + "." + key)
                + " must be a whole number >= 1 (was '" + value + "')");
    }

    private static double decimal(String provider, String model, String key, String value, double fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(setting(provider, PREFIX + model + "." + key)
                + " must be a number > 0 (was '" + value + "')");
    }
}
