package dev.switchboard.engine.policy;

import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.WorkflowEngine;
import dev.switchboard.engine.internal.policy.PolicyKindFactory;
import java.util.List;
import java.util.Objects;

/**
 * The governance node kinds: {@code policy.pii}, {@code policy.blocklist}, {@code policy.regex},
 * {@code policy.length}, {@code policy.injection}, {@code policy.rule}, {@code policy.judge},
 * {@code policy.restore} (puts redacted PII back) and {@code review} (a human decides).
 * Register them on the engine builder:
 *
 * <pre>{@code
 * WorkflowEngine.Builder b = WorkflowEngine.builder().modelClient(client);
 * PolicyKinds.all(PolicyOptions.defaults().withVaultKey(key)).forEach(b::nodeKind);
 * }</pre>
 *
 * <p>Every policy node takes {@code text} (a template of what to check), {@code action}
 * ({@code pass|redact|block|flag|review}) and {@code message} (shown to the end user when blocked),
 * plus its own keys, and exposes {@code text} (redacted when so), {@code flags} (findings with
 * offsets, never the raw value of a redacted span), {@code matched}, {@code flagged} and
 * {@code action} (what was done: {@code none} when nothing matched).
 */
public final class PolicyKinds {

    /** Node types this class provides, in registration order. */
    public static final List<String> TYPES = List.of("policy.pii", "policy.blocklist", "policy.regex", "policy.length",
            "policy.injection", "policy.rule", "policy.judge", "policy.restore", "review");

    private PolicyKinds() {
    }

    /** All kinds with {@link PolicyOptions#defaults()}. */
    public static List<NodeKind> all() {
        return all(PolicyOptions.defaults());
    }

    /** All kinds, sharing one vault key (a random one when {@code options} gives none). */
    public static List<NodeKind> all(PolicyOptions options) {
        return PolicyKindFactory.create(Objects.requireNonNull(options, "options"));
    }

    /** Adds every kind to {@code builder}; returns it. */
    public static WorkflowEngine.Builder register(WorkflowEngine.Builder builder, PolicyOptions options) {
        all(options).forEach(builder::nodeKind);
        return builder;
    }
}
