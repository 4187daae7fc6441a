package dev.switchboard.app.openai;

/**
 * A request to the OpenAI-compatible API that the gateway was never asked to run: malformed
 * JSON, a parameter of the wrong type or range, or a feature the gateway does not offer (tools,
 * {@code n > 1}, logprobs). Answered 400 with OpenAI's {@code param} naming the field.
 */
final class OpenAiRequestException extends RuntimeException {

    private final String param;

    OpenAiRequestException(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    /** The offending request field in OpenAI's spelling ({@code max_tokens}, {@code messages[1].content}), or null. */
    String param() {
        return param;
    }
}
