package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code policy.restore}: puts values that an upstream {@code policy.pii} node (with
 * {@code restore: true}) replaced by placeholders back into {@code text}, for the same run only —
 * typically after the {@code ai} node, so the model never sees the values but the final answer
 * has them. Config: {@code text} (template), {@code from} (the pii node id, or a list; the first
 * that knows a placeholder wins). Exposes {@code text}, {@code restored} (placeholders replaced)
 * and {@code unresolved} (placeholder-looking tokens left as they were).
 *
 * <p>The restored text is in this node's outputs and so in the trace: restore as late as possible
 * (right before the output) and only where the end user may see the values.
 */
final class RestoreKind implements NodeKind {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\[(?:EMAIL|PHONE|CREDIT_CARD|SSN|IBAN|IP_ADDRESS)_\\d{1,6}]");

    private final PiiVault vault;

    RestoreKind(PiiVault vault) {
        this.vault = vault;
    }

    @Override
    public String type() {
        return "policy.restore";
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("text", "restored", "unresolved"));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        Template text = c.requiredText("text").map(t -> c.template("text", t)).orElse(null);
        List<String> from = c.optionalTextList("from").orElse(null);
        if (from == null) {
            if (!c.config().hasNonNull("from")) {
                c.problem("from", ValidationProblem.MISSING_CONFIG, "'from' must name the policy.pii node whose placeholders to restore.");
            }
            return null;
        }
        if (from.isEmpty() || from.size() > 20) {
            c.problem("from", ValidationProblem.INVALID_CONFIG, "'from' must name 1 to 20 policy.pii nodes.");
            return null;
        }
        for (String id : from) {
            // validates that the node is upstream and exposes a vault (policy.pii with restore: true)
            c.template("from", "{{" + id + ".vault}}");
        }
        if (c.hasProblems()) {
            return null;
        }
        return new Executor(text, List.copyOf(from), vault);
    }

    private record Executor(Template text, List<String> from, PiiVault vault) implements NodeExecutor {

        @Override
        public NodeResult execute(NodeContext ctx) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String id : from) {
                Object sealed = ctx.outputsOf(id).map(o -> o.get("vault")).orElse(null);
                if (sealed instanceof String s && !s.isEmpty()) {
                    try {
                        vault.open(s, ctx.run().runId(), id).forEach(values::putIfAbsent);
                    } catch (PiiVault.VaultException e) {
                        return NodeResult.fail(NodeError.permanent("vault_unreadable",
                                "Cannot restore the values redacted by '" + id + "': " + e.getMessage() + "."));
                    }
                }
            }
            String in = ctx.render(text);
            Matcher m = PLACEHOLDER.matcher(in);
            StringBuilder sb = new StringBuilder(in.length());
            int restored = 0;
            List<String> unresolved = new ArrayList<>();
            while (m.find()) {
                String v = values.get(m.group());
                if (v != null) {
                    restored++;
                    m.appendReplacement(sb, Matcher.quoteReplacement(v));
                } else {
                    unresolved.add(m.group());
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                }
            }
            m.appendTail(sb);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("text", sb.toString());
            out.put("restored", restored);
            out.put("unresolved", unresolved.size());
            return NodeResult.of(out);
        }
    }
}
