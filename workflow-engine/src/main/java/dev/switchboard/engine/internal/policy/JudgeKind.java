package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.ModelCall;
import dev.switchboard.engine.ModelCallContext;
import dev.switchboard.engine.ModelResult;
import dev.switchboard.engine.ModelUsage;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code policy.judge}: an LLM-as-judge. {@code model} ({@code provider/model} or a fallback list),
 * {@code rubric} (template: what the content must satisfy), {@code maxTokens} (default 200),
 * {@code temperature} (default 0). The model must answer with one JSON object
 * {@code {"verdict": "pass"|"fail", "reason": "...", "score": 0..1?}} ({@link JudgeVerdict});
 * anything else fails the attempt with {@code judge_unparsable}, so the node's retry and
 * {@code onError} policy decide. A "fail" verdict triggers the action (default: block). The judge
 * never streams to the end user.
 */
final class JudgeKind extends PolicyKind {

    private static final Pattern MODEL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/\\S+");

    JudgeKind(PolicyOptions options) {
        super("policy.judge", options);
    }

    @Override
    Action defaultAction() {
        return Action.BLOCK;
    }

    @Override
    boolean canRedact() {
        return false;
    }

    @Override
    Set<String> extraFields(ObjectNode config) {
        return Set.of("score");
    }

    @Override
    Detector compileDetector(NodeCompiler c, Action action) {
        List<String> models = models(c);
        Template rubric = c.requiredText("rubric").map(r -> c.template("rubric", r)).orElse(null);
        int maxTokens = c.optionalInt("maxTokens", 16, 4_096).orElse(200);
        double temperature = c.optionalNumber("temperature", 0, 2).orElse(0.0);
        if (models.isEmpty() || rubric == null) {
            return null;
        }
        return new JudgeDetector(models, rubric, maxTokens, temperature);
    }

    private static List<String> models(NodeCompiler c) {
        JsonNode m = c.config().get("model");
        List<String> refs = new ArrayList<>();
        if (m == null || m.isNull()) {
            c.problem("model", ValidationProblem.MISSING_CONFIG, "A judge needs a 'model' like \"openai/gpt-4o-mini\".");
            return refs;
        }
        if (m.isString()) {
            refs.add(m.asString());
        } else if (m.isArray() && !m.isEmpty() && m.size() <= 8) {
            m.forEach(e -> refs.add(e.isString() ? e.asString() : ""));
        }
        if (refs.isEmpty() || refs.stream().anyMatch(r -> !MODEL_REF.matcher(r).matches() || r.length() > 200)) {
            c.problem("model", ValidationProblem.INVALID_CONFIG,
                    "'model' must be \"provider/model\" (e.g. \"openai/gpt-4o-mini\") or a list of 1 to 8 of them.");
            return List.of();
        }
        return List.copyOf(refs);
    }

    record JudgeDetector(List<String> models, Template rubric, int maxTokens, double temperature) implements Detector {

        @Override
        public Detection detect(String text, NodeContext ctx) throws InterruptedException {
            List<ChatMessage> messages = List.of(
                    new ChatMessage("system", JudgePrompt.system(ctx.render(rubric))),
                    new ChatMessage("user", JudgePrompt.user(text)));
            ModelCall call = new ModelCall(models, null, messages, maxTokens, temperature, null, null, null, null);
            // no token sink: a verdict is not part of the answer the end user streams
            ModelCallContext mc = new ModelCallContext(ctx.run(), ctx.nodeId(), null, ctx.deadline(), ctx.cancellation());
            ModelResult result = ctx.modelClient().call(call, mc);
            if (result == null) {
                throw new PolicyFailure(NodeError.retriable("model_error", "The model client returned no result."));
            }
            JudgeVerdict verdict;
            try {
                verdict = JudgeVerdict.parse(result.text());
            } catch (IllegalArgumentException e) {
                throw new PolicyFailure(NodeError.retriable("judge_unparsable", "The judge's answer is not a verdict ("
                        + e.getMessage() + ")."));
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("verdict", verdict.pass() ? "pass" : "fail");
            detail.put("reason", verdict.reason());
            detail.put("model", result.modelRef());
            List<Finding> findings = verdict.pass() ? List.of() : List.of(Finding.whole("judge_fail", detail));
            String reason = "Judge (" + result.modelRef() + "): " + (verdict.reason() == null ? verdict.verdictWord() : verdict.reason());
            return new Detection(findings, !verdict.pass(), verdict.score(), reason, ModelUsage.of(result));
        }
    }
}
