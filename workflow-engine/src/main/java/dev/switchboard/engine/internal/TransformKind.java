package dev.switchboard.engine.internal;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code transform}: renders {@code template}; exposes {@code text}, and {@code json} when the
 * text is a JSON object or array. With {@code format: "json"} the output must be JSON (any value)
 * and inserted values are JSON-string-escaped ({@code {{{x}}}} inserts raw).
 */
final class TransformKind implements NodeKind {

    @Override
    public String type() {
        return "transform";
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("text", "json"));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        boolean json = false;
        Optional<String> format = c.optionalText("format");
        if (format.isPresent()) {
            switch (format.get()) {
                case "json" -> json = true;
                case "text" -> json = false;
                default -> c.problem("format", ValidationProblem.INVALID_CONFIG, "'format' must be \"text\" or \"json\".");
            }
        }
        Optional<String> source = c.requiredText("template");
        if (source.isEmpty()) {
            return null;
        }
        Template template = json ? c.jsonTemplate("template", source.get()) : c.template("template", source.get());
        return new Executor(template, json);
    }

    @Override
    public NodeResult defaultResult(Object value) {
        return value instanceof Map<?, ?> ? NodeKind.super.defaultResult(value)
                : NodeResult.of(Collections.singletonMap("text", value == null ? "" : String.valueOf(value)));
    }

    private record Executor(Template template, boolean requireJson) implements NodeExecutor {
        @Override
        public NodeResult execute(NodeContext ctx) {
            String text = ctx.render(template);
            Map<String, Object> out = new LinkedHashMap<>(4);
            out.put("text", text);
            if (requireJson || looksLikeJson(text)) {
                try {
                    out.put("json", PlainJson.parse(text));
                } catch (JacksonException e) {
                    if (requireJson) {
                        return NodeResult.fail("invalid_json", "The template's output is not valid JSON: "
                                + e.getOriginalMessage(), false);
                    }
                }
            }
            return NodeResult.of(out);
        }

        private static boolean looksLikeJson(String text) {
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (!Character.isWhitespace(ch)) {
                    return ch == '{' || ch == '[';
                }
            }
            return false;
        }
    }
}
