package dev.switchboard.engine.internal.policy;

import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A judge model's verdict, parsed strictly: the whole answer must be one JSON object (a single
 * surrounding Markdown code fence is tolerated), {@code verdict} must be "pass" or "fail" (any
 * case), {@code reason} text if present, {@code score} a number in [0, 1] if present. Prose around
 * the object, two objects, or a missing verdict are rejected.
 */
record JudgeVerdict(boolean pass, String reason, Double score) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    String verdictWord() {
        return pass ? "pass" : "fail";
    }

    /** @throws IllegalArgumentException with a short description of what is wrong */
    static JudgeVerdict parse(String answer) {
        if (answer == null || answer.isBlank()) {
            throw new IllegalArgumentException("empty answer");
        }
        String s = stripFence(answer.strip());
        JsonNode n;
        try {
            n = JSON.readTree(s);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a single JSON object");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode v = n.get("verdict");
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("no \"verdict\"");
        }
        String verdict = v.asString().strip().toLowerCase(Locale.ROOT);
        if (!verdict.equals("pass") && !verdict.equals("fail")) {
            throw new IllegalArgumentException("verdict must be \"pass\" or \"fail\"");
        }
        JsonNode r = n.get("reason");
        if (r != null && !r.isNull() && !r.isString()) {
            throw new IllegalArgumentException("\"reason\" must be text");
        }
        JsonNode sc = n.get("score");
        Double score = null;
        if (sc != null && !sc.isNull()) {
            if (!sc.isNumber() || sc.asDouble() < 0 || sc.asDouble() > 1) {
                throw new IllegalArgumentException("\"score\" must be a number from 0 to 1");
            }
            score = sc.asDouble();
        }
        String reason = r == null || r.isNull() ? null : abbreviate(r.asString().strip());
        return new JudgeVerdict(verdict.equals("pass"), reason, score);
    }

    private static String stripFence(String s) {
        if (!s.startsWith("```") || !s.endsWith("```") || s.length() < 6) {
            return s;
        }
        String inner = s.substring(3, s.length() - 3);
        int nl = inner.indexOf('\n');
        if (nl >= 0 && inner.substring(0, nl).strip().matches("[A-Za-z]*")) {
            inner = inner.substring(nl + 1);
        }
        return inner.strip();
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 497) + "...";
    }
}
