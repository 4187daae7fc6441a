package dev.switchboard.engine.internal;

import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.ModelCall;
import dev.switchboard.engine.ModelResult;
import dev.switchboard.engine.ModelUsage;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ai}: {@code model} ({@code provider/model} or a list = fallback chain), {@code prompt} or
 * {@code messages: [{role, content}]} (templates), {@code maxTokens}, {@code temperature},
 * {@code topP}, {@code topK}, {@code stop}, {@code seed}. Exposes {@code text}, {@code usage}
 * ({@code {input, output, total, estimated}}), {@code model} (the one that answered) and
 * {@code finishReason}.
 */
final class AiKind implements NodeKind {

    private static final Pattern MODEL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/\\S+");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final int MAX_MODELS = 8;
    private static final int MAX_MESSAGES = 100;
    private static final int MAX_STOPS = 16;

    @Override
    public String type() {
        return "ai";
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("text", "usage", "model", "finishReason"));
    }

    @Override
    public NodeResult defaultResult(Object value) {
        return value instanceof Map<?, ?> ? NodeKind.super.defaultResult(value)
                : NodeResult.of(Collections.singletonMap("text", value == null ? "" : String.valueOf(value)));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        List<String> models = models(c);
        boolean hasPrompt = c.config().hasNonNull("prompt");
        boolean hasMessages = c.config().hasNonNull("messages");
        Template prompt = null;
        List<Message> messages = null;
        if (hasPrompt == hasMessages) {
            c.problem(hasPrompt ? "messages" : "prompt", hasPrompt ? ValidationProblem.INVALID_CONFIG : ValidationProblem.MISSING_CONFIG,
                    hasPrompt ? "Use either 'prompt' or 'messages', not both." : "An AI node needs a 'prompt' or 'messages'.");
        } else if (hasPrompt) {
            prompt = c.requiredText("prompt").map(p -> c.template("prompt", p)).orElse(null);
        } else {
            messages = messages(c);
        }
        Integer maxTokens = c.optionalInt("maxTokens", 1, 1_000_000).orElse(null);
        Double temperature = c.optionalNumber("temperature", 0, 2).orElse(null);
        Double topP = c.optionalNumber("topP", 0, 1).orElse(null);
        Integer topK = c.optionalInt("topK", 1, 1_000_000).orElse(null);
        List<String> stop = c.optionalTextList("stop").orElse(List.of());
        if (stop.size() > MAX_STOPS) {
            c.problem("stop", ValidationProblem.INVALID_CONFIG, "At most " + MAX_STOPS + " stop sequences are allowed.");
        }
        if (stop.stream().anyMatch(String::isEmpty)) {
            c.problem("stop", ValidationProblem.INVALID_CONFIG, "Stop sequences must not be empty.");
        }
        Long seed = null;
        Optional<JsonNode> seedNode = c.value("seed");
        if (seedNode.isPresent()) {
            if (seedNode.get().isIntegralNumber() && seedNode.get().canConvertToLong()) {
                seed = seedNode.get().asLong();
            } else {
                c.problem("seed", ValidationProblem.INVALID_CONFIG, "'seed' must be a whole number.");
            }
        }
        if (c.hasProblems() || models.isEmpty()) {
            return null;
        }
        return new Executor(models, prompt, messages, maxTokens, temperature, topP, topK, stop, seed);
    }

    private static List<String> models(NodeCompiler c) {
        JsonNode m = c.config().get("model");
        List<String> refs = new ArrayList<>();
        if (m == null || m.isNull()) {
            c.problem("model", ValidationProblem.MISSING_CONFIG, "An AI node needs a 'model' like \"openai/gpt-4o-mini\".");
            return refs;
        }
        if (m.isString()) {
            refs.add(m.asString());
        } else if (m.isArray() && !m.isEmpty() && m.size() <= MAX_MODELS) {
            m.forEach(e -> refs.add(e.isString() ? e.asString() : null));
        } else {
            c.problem("model", ValidationProblem.INVALID_CONFIG, "'model' must be \"provider/model\" or a list of 1 to "
                    + MAX_MODELS + " of them (tried in order).");
            return List.of();
        }
        for (int i = 0; i < refs.size(); i++) {
            String ref = refs.get(i);
            if (ref == null || !MODEL_REF.matcher(ref).matches() || ref.length() > 200) {
                c.problem(m.isArray() ? "model[" + i + "]" : "model", ValidationProblem.INVALID_CONFIG,
                        "'" + (ref == null ? "" : ref) + "' is not a model reference; write provider/model, e.g. \"openai/gpt-4o-mini\".");
                return List.of();
            }
        }
        return List.copyOf(refs);
    }

    private record Message(String role, Template content) {
    }

    private static List<Message> messages(NodeCompiler c) {
        JsonNode ms = c.config().get("messages");
        if (!ms.isArray() || ms.isEmpty() || ms.size() > MAX_MESSAGES) {
            c.problem("messages", ValidationProblem.INVALID_CONFIG, "'messages' must be a list of 1 to " + MAX_MESSAGES
                    + " {\"role\", \"content\"} objects.");
            return null;
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) {
                c.problem(at, ValidationProblem.INVALID_CONFIG, "Each message must be an object {\"role\", \"content\"}.");
                continue;
            }
            String role = m.path("role").isString() ? m.get("role").asString() : null;
            if (role == null || !ROLES.contains(role)) {
                c.problem(at + ".role", ValidationProblem.INVALID_CONFIG, "A message's role must be system, user or assistant.");
            }
            if (!m.path("content").isString()) {
                c.problem(at + ".content", ValidationProblem.MISSING_CONFIG, "Each message needs 'content' text.");
                continue;
            }
            out.add(new Message(role, c.template(at + ".content", m.get("content").asString())));
        }
        return out;
    }

    private record Executor(List<String> models, Template prompt, List<Message> messages, Integer maxTokens,
                            Double temperature, Double topP, Integer topK, List<String> stop, Long seed)
            implements NodeExecutor {

        @Override
        public NodeResult execute(NodeContext ctx) throws InterruptedException {
            String renderedPrompt = prompt == null ? null : ctx.render(prompt);
            List<ChatMessage> rendered = null;
            if (messages != null) {
                rendered = new ArrayList<>(messages.size());
                for (Message m : messages) {
                    rendered.add(new ChatMessage(m.role(), ctx.render(m.content())));
                }
            }
            ModelCall call = new ModelCall(models, renderedPrompt, rendered, maxTokens, temperature, topP, topK, stop, seed);
            ModelResult result = ctx.modelClient().call(call, ctx.modelCallContext());
            if (result == null) {
                return NodeResult.fail("model_error", "The model client returned no result.", true);
            }
            Map<String, Object> usage = new LinkedHashMap<>(4);
            usage.put("input", (long) result.usage().input());
            usage.put("output", (long) result.usage().output());
            usage.put("total", (long) result.usage().total());
            usage.put("estimated", result.usage().estimated());
            Map<String, Object> out = new LinkedHashMap<>(4);
            out.put("text", result.text());
            out.put("usage", usage);
            out.put("model", result.modelRef());
            out.put("finishReason", result.finishReason());
            return NodeResult.of(out, ModelUsage.of(result));
        }
    }
}
