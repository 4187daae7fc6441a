package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.ModelUsage;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.policy.ReviewRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one policy node: renders {@code text}, asks the detector, and applies the action. Every
 * decision is visible in the outputs (or the block/suspend details): {@code flags} lists each
 * finding with offsets into the checked text and the action taken; redacted spans are described
 * by type and placeholder only. Immutable; shared by concurrent runs.
 */
record PolicyExecutor(String type, Template text, Action action, String message, ReviewSettings review,
                      Detector detector) implements NodeExecutor {

    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        String checked = text == null ? "" : ctx.render(text);
        Detection d;
        try {
            d = detector.detect(checked, ctx);
        } catch (PolicyFailure f) {
            return NodeResult.fail(f.error);
        }
        if (!d.triggered()) {
            return completed(checked, flags(d, "none", null), false, false, "none", d, Map.of());
        }
        String reason = d.reason() != null ? d.reason() : summary(d);
        return switch (action) {
            case PASS -> completed(checked, flags(d, "pass", null), true, false, "pass", d, Map.of());
            case FLAG -> completed(checked, flags(d, "flag", null), true, true, "flag", d, Map.of());
            case REDACT -> {
                Redaction r = detector.redact(checked, d, ctx);
                yield completed(r.text(), flags(d, "redact", r.placeholders()), true, false, "redact", d, r.extraOutputs());
            }
            case BLOCK -> {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("policy", type);
                details.put("reason", reason);
                details.put("flags", flags(d, "block", null));
                if (d.score() != null) {
                    details.put("score", d.score());
                }
                if (d.usage() != null) {
                    // a blocked node reports no ModelUsage to the engine: keep what the judge spent visible
                    details.put("usage", usageMap(d.usage()));
                }
                yield NodeResult.block(message, details);
            }
            case REVIEW -> {
                List<Map<String, Object>> flags = flags(d, "review", null);
                Map<String, Object> onApprove = standardOutputs(flags, true, false, "review", d, reason);
                onApprove.remove("text");
                ReviewRequest request = new ReviewRequest(ctx.nodeId(), type, reason, checked, checked, flags,
                        review.instructions(), review.timeout(), review.onTimeout(), onApprove);
                yield NodeResult.suspend(reason, request.toPayload());
            }
        };
    }

    /** The result of a node whose text passes unchecked (used for {@code onError: default}). */
    static NodeResult passThrough(String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", text);
        out.put("flags", List.of());
        out.put("matched", false);
        out.put("flagged", false);
        out.put("action", "none");
        out.put("reason", null);
        return NodeResult.of(out);
    }

    private NodeResult completed(String out, List<Map<String, Object>> flags, boolean matched, boolean flagged,
                                 String applied, Detection d, Map<String, Object> extra) {
        Map<String, Object> outputs = standardOutputs(flags, matched, flagged, applied, d,
                matched ? (d.reason() != null ? d.reason() : summary(d)) : d.reason());
        outputs.put("text", out);
        outputs.putAll(extra);
        ModelUsage usage = d.usage();
        return usage == null ? NodeResult.of(outputs) : NodeResult.of(outputs, usage);
    }

    private static Map<String, Object> usageMap(ModelUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", u.tokens().input());
        m.put("output", u.tokens().output());
        m.put("model", u.provider() == null ? u.model() : u.provider() + "/" + u.model());
        if (u.cost() != null) {
            m.put("cost", u.cost());
        }
        return m;
    }

    private static Map<String, Object> standardOutputs(List<Map<String, Object>> flags, boolean matched, boolean flagged,
                                                       String applied, Detection d, String reason) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("text", null);
        outputs.put("flags", flags);
        outputs.put("matched", matched);
        outputs.put("flagged", flagged);
        outputs.put("action", applied);
        outputs.put("reason", reason);
        if (d.score() != null) {
            outputs.put("score", d.score());
        }
        return outputs;
    }

    private static List<Map<String, Object>> flags(Detection d, String applied, List<String> placeholders) {
        List<Map<String, Object>> out = new ArrayList<>(d.findings().size());
        for (int i = 0; i < d.findings().size(); i++) {
            out.add(d.findings().get(i).toFlag(applied, placeholders == null ? null : placeholders.get(i)));
        }
        return out;
    }

    private String summary(Detection d) {
        Set<String> types = new LinkedHashSet<>();
        d.findings().forEach(f -> types.add(f.type()));
        int n = d.findings().size();
        return type + " found " + n + (n == 1 ? " match" : " matches") + (types.isEmpty() ? "" : ": " + String.join(", ", types)) + ".";
    }
}
