package dev.switchboard.app.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** OpenAI request bodies as the gateway receives them, and every refusal naming OpenAI's {@code param}. */
class OpenAiRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static OpenAiRequests.Parsed chat(String json) {
        return OpenAiRequests.chat(JSON.readTree(json));
    }

    private static String refusedParam(Runnable parse) {
        return catchThrowableOfType(OpenAiRequestException.class, parse::run).param();
    }

    @Test
    void readsAFullChatRequest() {
        OpenAiRequests.Parsed p = chat("""
                {"model": "openai/gpt-4o-mini", "models": ["anthropic/claude-3-5-haiku", "openai/gpt-4o-mini"],
                 "messages": [{"role": "developer", "content": "Be brief."},
                              {"role": "user", "content": [{"type": "text", "text": "Hello "}, {"type": "text", "text": "there"}]},
                              {"role": "assistant", "content": null}],
                 "max_tokens": 10, "max_completion_tokens": 20, "temperature": 0.5, "top_p": 0.9, "top_k": -1,
                 "stop": "END", "seed": 42, "user": "u-1", "n": 1, "presence_penalty": 0, "tool_choice": "none",
                 "stream": true, "stream_options": {"include_usage": true}, "store": false, "metadata": {}}""");

        ModelRequest r = p.request();
        assertThat(r.models()).containsExactly("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku");
        assertThat(r.messages()).containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("Hello there"),
                ChatMessage.assistant(""));
        assertThat(r.maxTokens()).isEqualTo(20);
        assertThat(r.temperature()).isEqualTo(0.5);
        assertThat(r.topP()).isEqualTo(0.9);
        assertThat(r.topK()).isNull();
        assertThat(r.stop()).containsExactly("END");
        assertThat(r.seed()).isEqualTo(42L);
        assertThat(r.user()).isEqualTo("u-1");
        assertThat(r.stream()).isTrue();
        assertThat(p.includeUsage()).isTrue();
    }

    @Test
    void readsACompletionRequestWithAOneElementPromptList() {
        OpenAiRequests.Parsed p = OpenAiRequests.completion(JSON.readTree("""
                {"model": "local/gpt-j", "prompt": ["Once upon"], "max_tokens": 16, "stop": ["\\n", "."], "echo": false}"""));

        assertThat(p.request().prompt()).isEqualTo("Once upon");
        assertThat(p.request().isChat()).isFalse();
        assertThat(p.request().stop()).containsExactly("\n", ".");
        assertThat(p.stream()).isFalse();
    }

    @Test
    void refusesWhatItCannotHonourNamingTheParameter() {
        String user = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
        assertThat(refusedParam(() -> chat("{" + user + "}"))).isEqualTo("model");
        assertThat(refusedParam(() -> chat("{\"model\": 5, " + user + "}"))).isEqualTo("model");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\"}"))).isEqualTo("messages");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"messages\": []}"))).isEqualTo("messages");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}")))
                .isEqualTo("messages[0].role");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"messages\": [{\"role\": \"user\"}]}")))
                .isEqualTo("messages[0].content");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"messages\": [{\"role\": \"user\", \"content\": "
                + "[{\"type\": \"image_url\", \"image_url\": {}}]}]}"))).isEqualTo("messages[0].content[0].type");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"n\": 3, " + user + "}"))).isEqualTo("n");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"max_tokens\": 1.5, " + user + "}"))).isEqualTo("max_tokens");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"temperature\": \"hot\", " + user + "}"))).isEqualTo("temperature");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"stop\": [1], " + user + "}"))).isEqualTo("stop");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"tools\": [{}], " + user + "}"))).isEqualTo("tools");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"logprobs\": true, " + user + "}"))).isEqualTo("logprobs");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"frequency_penalty\": 0.5, " + user + "}")))
                .isEqualTo("frequency_penalty");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"response_format\": {\"type\": \"json_object\"}, " + user + "}")))
                .isEqualTo("response_format.type");
        assertThat(refusedParam(() -> chat("{\"model\": \"a/b\", \"stream_options\": {\"include_usage\": true}, " + user + "}")))
                .isEqualTo("stream_options");
        assertThat(refusedParam(() -> chat("[1, 2]"))).isNull();
        assertThat(refusedParam(() -> OpenAiRequests.completion(JSON.readTree("{\"model\": \"a/b\", \"prompt\": [1, 2]}"))))
                .isEqualTo("prompt");
        assertThat(refusedParam(() -> OpenAiRequests.completion(JSON.readTree("{\"model\": \"a/b\", \"prompt\": [\"a\", \"b\"]}"))))
                .isEqualTo("prompt");
        assertThat(refusedParam(() -> OpenAiRequests.completion(JSON.readTree("{\"model\": \"a/b\", \"prompt\": \"x\", \"echo\": true}"))))
                .isEqualTo("echo");
    }

    @Test
    void rangeErrorsComeFromTheGatewayAndMapToOpenAisParamNames() {
        GatewayException.InvalidRequest e = catchThrowableOfType(GatewayException.InvalidRequest.class,
                () -> chat("{\"model\": \"a/b\", \"top_p\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}"));

        OpenAiError error = OpenAiError.of(e);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).isEqualTo("top_p");
        assertThat(OpenAiError.snakeCase("maxTokens")).isEqualTo("max_tokens");
        assertThat(OpenAiError.snakeCase("messages[2].role")).isEqualTo("messages[2].role");
        assertThat(OpenAiError.of(new GatewayException.UnknownModel("x/y", List.of("a/*"))).body("/v1/chat/completions"))
                .containsEntry("status", 404).containsEntry("knownModels", List.of("a/*")).containsKey("error");
    }
}
