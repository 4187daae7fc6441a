package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.policy.PolicyOptions;
import dev.switchboard.engine.policy.ReviewRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code review}: hands the run to a person. Config: {@code text} (template: what to review),
 * {@code timeout} (how long the task stays open: {@code "30m"}, {@code "24h"}, {@code "7d"};
 * default 24 h), {@code onTimeout} ({@code approve} or {@code reject}, default reject),
 * {@code instructions} (shown to the reviewer). The run suspends ({@code waiting_review}); once
 * approved it resumes with {@code text} (as approved or edited), {@code decision}
 * ({@code approved}/{@code edited}) and {@code timedOut}. A rejection ends the run.
 */
final class ReviewKind implements NodeKind {

    private final PolicyOptions options;

    ReviewKind(PolicyOptions options) {
        this.options = options;
    }

    @Override
    public String type() {
        return "review";
    }

    @Override
    public boolean handlesTimeout() {
        return true;
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("text", "decision", "timedOut"));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        Template text = c.requiredText("text").map(t -> c.template("text", t)).orElse(null);
        ReviewSettings settings = ReviewSettings.parse(c, "timeout", "onTimeout", options);
        if (c.hasProblems()) {
            return null;
        }
        return new Executor(text, settings);
    }

    private record Executor(Template text, ReviewSettings settings) implements NodeExecutor {
        @Override
        public NodeResult execute(NodeContext ctx) {
            String rendered = ctx.render(text);
            String reason = "Review requested by node '" + ctx.nodeId() + "'.";
            ReviewRequest request = new ReviewRequest(ctx.nodeId(), "review", reason, rendered, rendered, List.of(),
                    settings.instructions(), settings.timeout(), settings.onTimeout(), Map.of());
            return NodeResult.suspend(reason, request.toPayload());
        }
    }
}
