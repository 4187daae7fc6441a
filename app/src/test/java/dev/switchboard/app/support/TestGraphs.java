package dev.switchboard.app.support;

import java.util.List;
import java.util.Map;

/** Graphs the integration tests create apps from (the ARCHITECTURE.md JSON shape). */
public final class TestGraphs {
    private TestGraphs() {
    }

    /** input(text, required, maxLength 50) → transform "Hello, {{in.text}}!" → output {greeting}. */
    public static Map<String, Object> greeting() {
        return greeting("Hello, {{in.text}}!");
    }

    public static Map<String, Object> greeting(String template) {
        return Map.of(
                "nodes", List.of(
                        input(),
                        Map.of("id", "say", "type", "transform", "config", Map.of("template", template)),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("greeting", "{{say.text}}")))),
                "edges", List.of(edge("in", "say"), edge("say", "out")));
    }

    /** input → ai (model, prompt "Say: {{in.text}}", with extra config) → output {answer}. */
    public static Map<String, Object> ai(String model, Map<String, Object> extraConfig) {
        Map<String, Object> config = new java.util.LinkedHashMap<>(Map.of("model", model, "prompt", "Say: {{in.text}}",
                "maxTokens", 32, "temperature", 0));
        config.putAll(extraConfig);
        return Map.of(
                "nodes", List.of(
                        input(),
                        Map.of("id", "ai", "type", "ai", "config", config),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{ai.text}}")))),
                "edges", List.of(edge("in", "ai"), edge("ai", "out")));
    }

    /** Like {@link #ai} with chat messages (system + "Say: {{in.text}}") instead of a prompt. */
    public static Map<String, Object> chat(String model, Map<String, Object> extraConfig) {
        Map<String, Object> config = new java.util.LinkedHashMap<>(Map.of("model", model, "maxTokens", 32, "temperature", 0,
                "messages", List.of(Map.of("role", "system", "content", "Be brief."),
                        Map.of("role", "user", "content", "Say: {{in.text}}"))));
        config.putAll(extraConfig);
        return Map.of(
                "nodes", List.of(
                        input(),
                        Map.of("id", "ai", "type", "ai", "config", config),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{ai.text}}")))),
                "edges", List.of(edge("in", "ai"), edge("ai", "out")));
    }

    public static Map<String, Object> input() {
        return Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                Map.of("name", "text", "type", "text", "required", true, "maxLength", 50))));
    }

    public static Map<String, Object> edge(String from, String to) {
        return Map.of("from", from, "to", to);
    }

    public static Map<String, Object> app(String name, Map<String, Object> graph) {
        return Map.of("name", name, "graph", graph);
    }
}
