package dev.switchboard.engine.internal;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.EngineLimits;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.ValidationProblem;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The config keys every node kind shares: {@code timeout}, {@code retry {attempts, backoff,
 * maxBackoff}}, {@code onError: fail|edge|default} and {@code default}.
 *
 * @param timeout per-attempt timeout
 * @param defaultResult result used for {@link OnError#DEFAULT}, else null
 */
record NodePolicy(Duration timeout, int attempts, Duration backoff, Duration maxBackoff, OnError onError,
                  NodeResult defaultResult) {

    enum OnError { FAIL, EDGE, DEFAULT }

    static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    /** Backoff before attempt {@code nextAttempt} (2 = the first retry): exponential, capped. */
    Duration backoffBefore(int nextAttempt) {
        long base = backoff.toMillis();
        int shift = Math.min(30, Math.max(0, nextAttempt - 2));
        long ms = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }

    /** Parses the shared keys, reporting problems; never throws for bad config. */
    static NodePolicy parse(String nodeId, ObjectNode config, NodeKind kind, List<EdgeDefinition> outgoing,
                            EngineLimits limits, Problems problems) {
        Duration timeout = limits.defaultNodeTimeout();
        JsonNode t = kind != null && kind.handlesTimeout() ? null : config.get("timeout");
        if (t != null && !t.isNull()) {
            try {
                timeout = Durations.NODE.parse(t);
                if (timeout.compareTo(limits.maxNodeTimeout()) > 0) {
                    problems.add(nodeId, "config.timeout", ValidationProblem.INVALID_CONFIG,
                            "The timeout may be at most " + limits.maxNodeTimeout() + ".");
                    timeout = limits.maxNodeTimeout();
                }
            } catch (IllegalArgumentException e) {
                problems.add(nodeId, "config.timeout", ValidationProblem.INVALID_CONFIG, "The timeout " + e.getMessage() + ".");
            }
        }
        int attempts = 1;
        Duration backoff = DEFAULT_BACKOFF;
        Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        JsonNode r = config.get("retry");
        if (r != null && !r.isNull()) {
            if (r.isIntegralNumber()) {
                attempts = attempts(nodeId, r, limits, problems);
            } else if (r.isObject()) {
                if (r.has("attempts")) {
                    attempts = attempts(nodeId, r.get("attempts"), limits, problems);
                }
                backoff = duration(nodeId, r, "backoff", backoff, problems);
                maxBackoff = duration(nodeId, r, "maxBackoff", maxBackoff, problems);
                if (maxBackoff.compareTo(backoff) < 0) {
                    maxBackoff = backoff;
                }
            } else {
                problems.add(nodeId, "config.retry", ValidationProblem.INVALID_CONFIG,
                        "retry must be an object like {\"attempts\": 3, \"backoff\": \"1s\"}.");
            }
        }
        OnError onError = OnError.FAIL;
        JsonNode oe = config.get("onError");
        if (oe != null && !oe.isNull()) {
            String v = oe.isString() ? oe.asString().toLowerCase(Locale.ROOT) : "";
            switch (v) {
                case "fail" -> onError = OnError.FAIL;
                case "edge" -> onError = OnError.EDGE;
                case "default" -> onError = OnError.DEFAULT;
                default -> problems.add(nodeId, "config.onError", ValidationProblem.INVALID_CONFIG,
                        "onError must be \"fail\", \"edge\" or \"default\".");
            }
        }
        NodeResult defaultResult = null;
        boolean hasDefault = config.has("default");
        if (onError == OnError.DEFAULT) {
            if (!hasDefault) {
                problems.add(nodeId, "config.default", ValidationProblem.MISSING_CONFIG,
                        "onError is \"default\", so a default value is needed (config.default).");
            } else {
                try {
                    defaultResult = kind.defaultResult(PlainJson.toPlain(config.get("default")));
                } catch (RuntimeException e) {
                    problems.add(nodeId, "config.default", ValidationProblem.INVALID_CONFIG,
                            "The default value doesn't fit this node: " + e.getMessage());
                }
            }
        } else if (hasDefault && kind != null && !"input".equals(kind.type())) {
            problems.add(nodeId, "config.default", ValidationProblem.INVALID_CONFIG,
                    "A default value is only used with onError: \"default\".");
        }
        if (onError == OnError.EDGE && outgoing.stream().noneMatch(e -> EdgeDefinition.WHEN_ERROR.equals(e.when()))) {
            problems.add(nodeId, "config.onError", ValidationProblem.INVALID_CONFIG,
                    "onError is \"edge\", but no edge leaves this node with when: \"error\".");
        }
        return new NodePolicy(timeout, attempts, backoff, maxBackoff, onError, defaultResult);
    }

    private static int attempts(String nodeId, JsonNode n, EngineLimits limits, Problems problems) {
        if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > limits.maxAttempts()) {
            problems.add(nodeId, "config.retry.attempts", ValidationProblem.INVALID_CONFIG,
                    "retry.attempts must be a whole number from 1 to " + limits.maxAttempts() + ".");
            return 1;
        }
        return n.asInt();
    }

    private static Duration duration(String nodeId, JsonNode retry, String key, Duration fallback, Problems problems) {
        JsonNode n = retry.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        try {
            Duration d = Durations.NODE.parse(n);
            if (d.compareTo(Duration.ofHours(1)) > 0) {
                problems.add(nodeId, "config.retry." + key, ValidationProblem.INVALID_CONFIG, "retry." + key + " may be at most 1 hour.");
                return fallback;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(nodeId, "config.retry." + key, ValidationProblem.INVALID_CONFIG, "retry." + key + " " + e.getMessage() + ".");
            return fallback;
        }
    }
}
