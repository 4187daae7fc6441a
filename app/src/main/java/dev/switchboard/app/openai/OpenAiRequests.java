package dev.switchboard.app.openai;

import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Reads OpenAI chat-completion and completion request bodies into gateway requests, field by
 * field, so that every rejection names the parameter the way OpenAI does ({@code param}).
 *
 * <p>Accepted as OpenAI defines them: {@code model}, {@code messages} (text content, as a string
 * or as {@code text} parts), {@code prompt}, {@code max_tokens}/{@code max_completion_tokens},
 * {@code temperature}, {@code top_p}, {@code stop}, {@code seed}, {@code stream},
 * {@code stream_options.include_usage}, {@code user}, {@code n: 1}. Extensions: {@code top_k}
 * (as vLLM) and {@code models} (a fallback chain tried after {@code model}, as OpenRouter).
 * Features the gateway cannot honour — tools, several choices, logprobs, logit bias, JSON mode,
 * penalties — are refused rather than silently ignored; unknown fields are ignored.
 */
final class OpenAiRequests {

    private static final int MAX_MODELS = 8;

    private OpenAiRequests() {
    }

    /** A parsed request and the stream options that are the HTTP layer's business. */
    record Parsed(ModelRequest request, boolean stream, boolean includeUsage) {
    }

    static Parsed chat(JsonNode body) {
        requireObject(body);
        refuseUnsupportedCommon(body);
        refuseNonEmpty(body, "tools", "tools (function calling) are not supported by this endpoint");
        refuseNonEmpty(body, "functions", "functions (function calling) are not supported by this endpoint");
        if (present(body, "function_call") || (present(body, "tool_choice")
                && !(body.get("tool_choice").isString() && body.get("tool_choice").asString().equals("none")))) {
            String param = present(body, "function_call") ? "function_call" : "tool_choice";
            throw new OpenAiRequestException(param, param + " is not supported by this endpoint");
        }
        if (present(body, "logprobs") && !(body.get("logprobs").isBoolean() && !body.get("logprobs").asBoolean())) {
            throw new OpenAiRequestException("logprobs", "logprobs are not supported by this endpoint");
        }
        if (present(body, "top_logprobs")) {
            throw new OpenAiRequestException("top_logprobs", "top_logprobs are not supported by this endpoint");
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull()) {
            if (!format.isObject() || !format.path("type").isString()) {
                throw new OpenAiRequestException("response_format", "response_format must be an object with a type");
            }
            if (!format.get("type").asString().equals("text")) {
                throw new OpenAiRequestException("response_format.type",
                        "response_format type '" + format.get("type").asString() + "' is not supported; only 'text' is");
            }
        }
        Integer maxTokens = optionalInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalInt(body, "max_tokens");
        }
        ModelRequest.Builder builder = common(body).messages(messages(body)).maxTokens(maxTokens);
        return build(body, builder);
    }

    static Parsed completion(JsonNode body) {
        requireObject(body);
        refuseUnsupportedCommon(body);
        if (present(body, "echo") && !(body.get("echo").isBoolean() && !body.get("echo").asBoolean())) {
            throw new OpenAiRequestException("echo", "echo is not supported by this endpoint");
        }
        if (present(body, "suffix") && !(body.get("suffix").isString() && body.get("suffix").asString().isEmpty())) {
            throw new OpenAiRequestException("suffix", "suffix (insertion) is not supported by this endpoint");
        }
        if (present(body, "logprobs")) {
            throw new OpenAiRequestException("logprobs", "logprobs are not supported by this endpoint");
        }
        Integer bestOf = optionalInt(body, "best_of");
        if (bestOf != null && bestOf != 1) {
            throw new OpenAiRequestException("best_of", "best_of must be 1 (was " + bestOf + ")");
        }
        ModelRequest.Builder builder = common(body).prompt(prompt(body)).maxTokens(optionalInt(body, "max_tokens"));
        return build(body, builder);
    }

    private static Parsed build(JsonNode body, ModelRequest.Builder builder) {
        boolean stream = optionalBoolean(body, "stream");
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!stream) {
                throw new OpenAiRequestException("stream_options", "stream_options is only allowed when stream is true");
            }
            if (!options.isObject()) {
                throw new OpenAiRequestException("stream_options", "stream_options must be an object");
            }
            includeUsage = optionalBoolean(options, "include_usage", "stream_options.include_usage");
        }
        // the gateway validates ranges again and names its own field; both spellings map to one param
        return new Parsed(builder.stream(stream).build(), stream, includeUsage);
    }

    /** model (+ models), sampling, stop, seed, user: what both endpoints share. */
    private static ModelRequest.Builder common(JsonNode body) {
        List<String> models = new ArrayList<>();
        JsonNode model = body.get("model");
        if (model != null && !model.isNull()) {
            if (!model.isString() || model.asString().isBlank()) {
                throw new OpenAiRequestException("model", "model must be a non-empty string such as \"openai/gpt-4o-mini\"");
            }
            models.add(model.asString().strip());
        }
        JsonNode fallbacks = body.get("models");
        if (fallbacks != null && !fallbacks.isNull()) {
            if (!fallbacks.isArray() || fallbacks.size() > MAX_MODELS) {
                throw new OpenAiRequestException("models", "models must be a list of at most " + MAX_MODELS + " model names");
            }
            for (int i = 0; i < fallbacks.size(); i++) {
                JsonNode m = fallbacks.get(i);
                if (!m.isString() || m.asString().isBlank()) {
                    throw new OpenAiRequestException("models[" + i + "]", "models[" + i + "] must be a non-empty string");
                }
                models.add(m.asString().strip());
            }
        }
        if (models.isEmpty()) {
            throw new OpenAiRequestException("model", "you must provide a model parameter");
        }
        Integer topK = optionalInt(body, "top_k");
        return ModelRequest.builder()
                .models(models.stream().distinct().toList())
                .temperature(optionalNumber(body, "temperature"))
                .topP(optionalNumber(body, "top_p"))
                .topK(topK != null && topK == -1 ? null : topK) // vLLM: -1 = off
                .stop(stop(body))
                .seed(optionalLong(body, "seed"))
                .user(optionalString(body, "user"));
    }

    private static void refuseUnsupportedCommon(JsonNode body) {
        Integer n = optionalInt(body, "n");
        if (n != null && n != 1) {
            throw new OpenAiRequestException("n", "n must be 1: one choice per request is supported (was " + n + ")");
        }
        JsonNode bias = body.get("logit_bias");
        if (bias != null && !bias.isNull() && !(bias.isObject() && bias.isEmpty())) {
            throw new OpenAiRequestException("logit_bias", "logit_bias is not supported by this endpoint");
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            Double value = optionalNumber(body, penalty);
            if (value != null && value != 0) {
                throw new OpenAiRequestException(penalty, penalty + " is not supported by this endpoint (only 0)");
            }
        }
    }

    private static List<ChatMessage> messages(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw new OpenAiRequestException("messages", "messages is required");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw new OpenAiRequestException("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String at) {
        if (!m.isObject()) {
            throw new OpenAiRequestException(at, at + " must be an object with role and content");
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isString()) {
            throw new OpenAiRequestException(at + ".role", at + ".role is required");
        }
        String role = roleNode.asString().toLowerCase(Locale.ROOT);
        ChatMessage.Role parsed = switch (role) {
            case "system", "developer" -> ChatMessage.Role.SYSTEM;
            case "user" -> ChatMessage.Role.USER;
            case "assistant" -> ChatMessage.Role.ASSISTANT;
            case "tool", "function" -> throw new OpenAiRequestException(at + ".role",
                    "'" + role + "' messages are not supported: this endpoint does not do function calling");
            default -> throw new OpenAiRequestException(at + ".role",
                    at + ".role must be one of system, developer, user, assistant (was '" + roleNode.asString() + "')");
        };
        if (present(m, "tool_calls") || present(m, "function_call")) {
            throw new OpenAiRequestException(at + ".tool_calls", "tool calls are not supported by this endpoint");
        }
        return new ChatMessage(parsed, content(m.get("content"), at + ".content", parsed));
    }

    private static String content(JsonNode content, String at, ChatMessage.Role role) {
        if (content == null || content.isNull()) {
            if (role == ChatMessage.Role.ASSISTANT) {
                return "";
            }
            throw new OpenAiRequestException(at, at + " is required");
        }
        if (content.isString()) {
            return content.asString();
        }
        if (!content.isArray()) {
            throw new OpenAiRequestException(at, at + " must be a string or an array of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partAt = at + "[" + j + "]";
            String type = part.path("type").isString() ? part.get("type").asString() : null;
            if (!"text".equals(type)) {
                throw new OpenAiRequestException(partAt + ".type",
                        "only text content parts are supported (" + partAt + ".type was " + (type == null ? "missing" : "'" + type + "'") + ")");
            }
            if (!part.path("text").isString()) {
                throw new OpenAiRequestException(partAt + ".text", partAt + ".text must be a string");
            }
            text.append(part.get("text").asString());
        }
        return text.toString();
    }

    private static String prompt(JsonNode body) {
        JsonNode prompt = body.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw new OpenAiRequestException("prompt", "prompt is required");
        }
        if (prompt.isString()) {
            return prompt.asString();
        }
        if (prompt.isArray()) {
            if (prompt.size() == 1 && prompt.get(0).isString()) {
                return prompt.get(0).asString();
            }
            if (!prompt.isEmpty() && prompt.get(0).isNumber()) {
                throw new OpenAiRequestException("prompt", "token-id prompts are not supported; send the prompt as text");
            }
            throw new OpenAiRequestException("prompt", "prompt must be one string; send one request per prompt");
        }
        throw new OpenAiRequestException("prompt", "prompt must be a string");
    }

    private static List<String> stop(JsonNode body) {
        JsonNode stop = body.get("stop");
        if (stop == null || stop.isNull()) {
            return null;
        }
        if (stop.isString()) {
            return List.of(stop.asString());
        }
        if (!stop.isArray()) {
            throw new OpenAiRequestException("stop", "stop must be a string or an array of strings");
        }
        List<String> out = new ArrayList<>(stop.size());
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isString()) {
                throw new OpenAiRequestException("stop", "stop[" + i + "] must be a string");
            }
            out.add(stop.get(i).asString());
        }
        return out;
    }

    // ------------------------------------------------------------------ scalar helpers

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OpenAiRequestException(null, "the request body must be a JSON object");
        }
    }

    private static boolean present(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    private static void refuseNonEmpty(JsonNode body, String name, String message) {
        JsonNode v = body.get(name);
        if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
            throw new OpenAiRequestException(name, message);
        }
    }

    private static Integer optionalInt(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new OpenAiRequestException(name, name + " must be an integer");
        }
        return v.asInt();
    }

    private static Long optionalLong(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new OpenAiRequestException(name, name + " must be an integer");
        }
        return v.asLong();
    }

    private static Double optionalNumber(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new OpenAiRequestException(name, name + " must be a number");
        }
        return v.asDouble();
    }

    private static String optionalString(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new OpenAiRequestException(name, name + " must be a string");
        }
        return v.asString();
    }

    private static boolean optionalBoolean(JsonNode body, String name) {
        return optionalBoolean(body, name, name);
    }

    private static boolean optionalBoolean(JsonNode body, String name, String param) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new OpenAiRequestException(param, param + " must be a boolean");
        }
        return v.asBoolean();
    }
}
