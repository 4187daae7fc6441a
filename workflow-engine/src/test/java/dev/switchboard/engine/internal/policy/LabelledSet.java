package dev.switchboard.engine.internal.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the labelled sets under {@code src/test/resources/policy/} (one JSON object per line). */
final class LabelledSet {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LabelledSet() {
    }

    static List<JsonNode> read(String name) {
        try (InputStream in = LabelledSet.class.getResourceAsStream("/policy/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /policy/" + name);
            }
            List<JsonNode> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Precision/recall counters, also per split ("dev" / "holdout"). */
    static final class Score {
        int tp;
        int fp;
        int fn;

        double precision() {
            return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
        }

        @Override
        public String toString() {
            return String.format("P=%.3f R=%.3f (tp=%d fp=%d fn=%d)", precision(), recall(), tp, fp, fn);
        }
    }
}
