package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code policy.injection}: prompt-injection heuristics ({@link InjectionDetector}) with a score in
 * [0, 1] and {@code threshold} (default 0.5: one strong signal such as "ignore all previous
 * instructions" is enough, weak ones only add up). Exposes {@code score}; {@code flags} lists every
 * signal with its rule, weight and how it was found (plain text, leetspeak, base64, ...), also
 * below the threshold. Default action: block.
 */
final class InjectionKind extends PolicyKind {

    InjectionKind(PolicyOptions options) {
        super("policy.injection", options);
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
    String defaultMessage() {
        return "Your message looks like an attempt to override the assistant's instructions and was not processed.";
    }

    @Override
    Detector compileDetector(NodeCompiler c, Action action) {
        double threshold = c.optionalNumber("threshold", 0.01, 1).orElse(0.5);
        return new InjectionDetector(threshold);
    }
}
