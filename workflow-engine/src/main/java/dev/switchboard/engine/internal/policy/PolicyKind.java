package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shared config of every {@code policy.*} kind — {@code text}, {@code action}, {@code message},
 * and for {@code action: review} {@code reviewTimeout}, {@code onReviewTimeout},
 * {@code instructions} — and the outputs they all expose. Subclasses compile their own keys into a
 * {@link Detector}.
 */
abstract class PolicyKind implements NodeKind {

    static final Set<String> BASE_FIELDS = Set.of("text", "flags", "matched", "flagged", "action", "reason");
    static final int MAX_MESSAGE = 2_000;

    final String type;
    final PolicyOptions options;

    PolicyKind(String type, PolicyOptions options) {
        this.type = type;
        this.options = options;
    }

    @Override
    public final String type() {
        return type;
    }

    /** The action when the config names none. */
    abstract Action defaultAction();

    /** Whether {@code action: redact} means something for this kind. */
    abstract boolean canRedact();

    /** Compiles the kind's own keys, reporting problems on {@code c}; may return null when there were problems. */
    abstract Detector compileDetector(NodeCompiler c, Action action);

    /** Outputs besides {@link #BASE_FIELDS} for this config (e.g. {@code score}, {@code vault}). */
    Set<String> extraFields(ObjectNode config) {
        return Set.of();
    }

    /** Whether {@code text} may be omitted (then the checked text is empty). */
    boolean textOptional() {
        return false;
    }

    /** What the end user sees when this policy blocks and the node sets no {@code message}. */
    String defaultMessage() {
        return "This request was blocked by a content policy.";
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        Set<String> all = new LinkedHashSet<>(BASE_FIELDS);
        all.addAll(extraFields(config));
        if ("review".equals(config.path("action").asString(""))) {
            all.add("decision");
            all.add("timedOut");
        }
        return Optional.of(Collections.unmodifiableSet(all));
    }

    /** With {@code onError: default}, a plain value becomes the {@code text} that passes. */
    @Override
    public NodeResult defaultResult(Object value) {
        if (value instanceof Map<?, ?>) {
            return NodeKind.super.defaultResult(value);
        }
        return PolicyExecutor.passThrough(value == null ? "" : String.valueOf(value));
    }

    @Override
    public final NodeExecutor compile(NodeCompiler c) {
        Template text = null;
        if (textOptional() && !c.config().hasNonNull("text")) {
            text = null;
        } else {
            text = c.requiredText("text").map(t -> c.template("text", t)).orElse(null);
        }
        Action action = action(c);
        String message = c.optionalText("message").orElse(defaultMessage());
        if (message.isBlank()) {
            c.problem("message", ValidationProblem.INVALID_CONFIG, "'message' must not be empty; it is shown to the user when blocked.");
        } else if (message.length() > MAX_MESSAGE) {
            c.problem("message", ValidationProblem.INVALID_CONFIG, "'message' may be at most " + MAX_MESSAGE + " characters.");
        }
        ReviewSettings review = action == Action.REVIEW
                ? ReviewSettings.parse(c, "reviewTimeout", "onReviewTimeout", options) : null;
        Detector detector = compileDetector(c, action == null ? defaultAction() : action);
        if (c.hasProblems() || detector == null || action == null) {
            return null;
        }
        return new PolicyExecutor(type, text, action, message, review, detector);
    }

    private Action action(NodeCompiler c) {
        Optional<String> a = c.optionalText("action");
        if (a.isEmpty()) {
            return c.config().hasNonNull("action") ? null : defaultAction();
        }
        Action action = Action.fromWireName(a.get());
        Set<Action> allowed = EnumSet.allOf(Action.class);
        if (!canRedact()) {
            allowed.remove(Action.REDACT);
        }
        if (action == null || !allowed.contains(action)) {
            String list = allowed.stream().map(Action::wireName).collect(Collectors.joining(", "));
            String why = action == Action.REDACT ? " (" + type + " has nothing to redact)" : "";
            c.problem("action", ValidationProblem.INVALID_CONFIG, "'action' must be one of " + list + why + ".");
            return null;
        }
        return action;
    }
}
