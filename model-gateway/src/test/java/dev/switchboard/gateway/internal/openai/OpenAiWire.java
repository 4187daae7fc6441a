package dev.switchboard.gateway.internal.openai;

import java.util.List;

/** OpenAI's documented wire format (API reference: chat object, chunk object, completions, error object). */
final class OpenAiWire {

    private OpenAiWire() {
    }

    static String chat(String model, String text, int in, int out) {
        return """
                {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
                 "model":"%s","choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null,
                 "annotations":[]},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                 "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,
                 "rejected_prediction_tokens":0}},"service_tier":"default"}
                """.formatted(model, text, in, out, in + out);
    }

    static String completion(String model, String text, String finish, int in, int out) {
        return """
                {"id":"cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7","object":"text_completion","created":1589478378,"model":"%s",
                 "system_fingerprint":"fp_44709d6fcb","choices":[{"text":"%s","index":0,"logprobs":null,
                 "finish_reason":"%s"}],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
                """.formatted(model, text, finish, in, out, in + out);
    }

    static String chatStream(String model, List<String> pieces, Integer in, Integer out, boolean done) {
        StringBuilder sb = new StringBuilder();
        String head = "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\""
                + model + "\",\"system_fingerprint\":\"fp_44709d6fcb\",";
        sb.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (String p : pieces) {
            sb.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(p)
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        if (!done) {
            return sb.toString();
        }
        sb.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        if (in != null) {
            sb.append("data: ").append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":").append(in)
                    .append(",\"completion_tokens\":").append(out).append(",\"total_tokens\":").append(in + out)
                    .append("}}\n\n");
        }
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    static String completionStream(String model, List<String> pieces, int in, int out) {
        StringBuilder sb = new StringBuilder();
        String head = "{\"id\":\"cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe\",\"object\":\"text_completion\",\"created\":1690759702,"
                + "\"model\":\"" + model + "\",";
        for (String p : pieces) {
            sb.append("data: ").append(head).append("\"choices\":[{\"text\":\"").append(p)
                    .append("\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        sb.append("data: ").append(head).append("\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,"
                + "\"finish_reason\":\"length\"}]}\n\n");
        sb.append("data: ").append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":").append(in)
                .append(",\"completion_tokens\":").append(out).append(",\"total_tokens\":").append(in + out).append("}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    static String error(int status, String message) {
        String type = switch (status) {
            case 401 -> "invalid_request_error\",\"code\":\"invalid_api_key";
            case 429 -> "requests\",\"code\":\"rate_limit_exceeded";
            case 500, 502, 503 -> "server_error\",\"code\":null,\"x\":\"";
            default -> "invalid_request_error\",\"code\":null,\"x\":\"";
        };
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null}}";
    }

    static String contextLength() {
        return """
                {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted \
                in 130412 tokens. Please reduce the length of the messages.","type":"invalid_request_error",\
                "param":"messages","code":"context_length_exceeded"}}
                """;
    }

    static String insufficientQuota() {
        return """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",\
                "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}
                """;
    }
}
