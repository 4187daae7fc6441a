package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.Expression;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.List;
import java.util.Map;

/**
 * {@code policy.rule}: {@code expression}, a CEL condition over upstream nodes and the trigger
 * (the same language and sandbox as {@code condition} nodes) that is true when the policy should
 * act, e.g. {@code in.text.size() > 500 && trigger.From.startsWith('+1900')}. {@code text} is
 * optional here: what passes through (and what a reviewer sees). Default action: block.
 */
final class RuleKind extends PolicyKind {

    RuleKind(PolicyOptions options) {
        super("policy.rule", options);
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
    boolean textOptional() {
        return true;
    }

    @Override
    Detector compileDetector(NodeCompiler c, Action action) {
        return c.requiredText("expression").map(e -> new RuleDetector(c.expression("expression", e, true))).orElse(null);
    }

    record RuleDetector(Expression expression) implements Detector {
        @Override
        public Detection detect(String text, NodeContext ctx) {
            Object v = ctx.evaluate(expression);
            if (!(v instanceof Boolean b)) {
                throw new PolicyFailure(NodeError.permanent("expression_error",
                        "The rule must evaluate to true or false, not " + (v == null ? "null" : v.getClass().getSimpleName()) + "."));
            }
            if (!b) {
                return Detection.none();
            }
            return new Detection(List.of(Finding.whole("rule", Map.of("expression", expression.source()))), true, null,
                    "The rule '" + abbreviate(expression.source()) + "' matched.", null);
        }

        private static String abbreviate(String s) {
            return s.length() <= 120 ? s : s.substring(0, 117) + "...";
        }
    }
}
