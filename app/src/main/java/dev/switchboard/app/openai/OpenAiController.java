package dev.switchboard.app.openai;

import dev.switchboard.app.gateway.WorkspaceModelGateway;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.openai.OpenAiWire.ChatChunk;
import dev.switchboard.app.openai.OpenAiWire.ChatCompletion;
import dev.switchboard.app.openai.OpenAiWire.Delta;
import dev.switchboard.app.openai.OpenAiWire.ModelEntry;
import dev.switchboard.app.openai.OpenAiWire.ModelList;
import dev.switchboard.app.openai.OpenAiWire.TextCompletion;
import dev.switchboard.app.openai.OpenAiWire.Usage;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelInfo;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.StreamListener;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's API served by the model gateway, so any OpenAI SDK or tool can use Switchboard as its
 * endpoint: {@code base_url = http://host:8080/v1}, {@code api_key =} a Switchboard API key, and
 * model names {@code provider/model}. Budgets, per-workspace provider keys, retries, fallbacks
 * and metrics apply as for {@code ai} nodes. Errors: see {@link OpenAiError}.
 */
@RestController
@Tag(name = "OpenAI-compatible API", description = "Chat completions, completions and models in OpenAI's wire format")
class OpenAiController {

    private static final Logger log = LoggerFactory.getLogger(OpenAiController.class);

    private final WorkspaceModelGateway gateway;
    private final JsonMapper json;
    private final Clock clock;
    private final List<ChatModelRoute> routes;

    OpenAiController(WorkspaceModelGateway gateway, JsonMapper json, Clock clock, List<ChatModelRoute> routes) {
        this.gateway = gateway;
        this.json = json;
        this.clock = clock;
        this.routes = List.copyOf(routes);
    }

    @PostMapping("/v1/chat/completions")
    @Operation(summary = "Create a chat completion (stream: true answers with server-sent chat.completion.chunk events)")
    ResponseEntity<Object> chatCompletions(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        caller.require(KeyRole.RUN);
        OpenAiRequests.Parsed parsed = OpenAiRequests.chat(readBody(request));
        String id = "chatcmpl-" + randomId();
        long created = clock.instant().getEpochSecond();
        CallContext context = context(caller, "/v1/chat/completions");
        if (!parsed.stream()) {
            ModelResponse answer = answer(parsed.request(), context, caller, null);
            return ok(answer, ChatCompletion.of(id, created, answer));
        }
        String requested = parsed.request().model();
        stream(parsed, context, caller, new SseChunkWriter(response, json), new ChunkFactory() {
            @Override
            public void first(SseChunkWriter out) {
                out.data(ChatChunk.delta(id, created, requested, new Delta("assistant", "")));
            }

            @Override
            public Object delta(String text) {
                return ChatChunk.delta(id, created, requested, new Delta(null, text));
            }

            @Override
            public Object finish(ModelResponse answer) {
                return ChatChunk.finish(id, created, answer.modelRef(), answer.finishReason().wireName());
            }

            @Override
            public Object usage(ModelResponse answer) {
                return ChatChunk.usage(id, created, answer.modelRef(), Usage.of(answer));
            }
        });
        return null;
    }

    @PostMapping("/v1/completions")
    @Operation(summary = "Create a (legacy) text completion (stream: true answers with server-sent text_completion events)")
    ResponseEntity<Object> completions(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        caller.require(KeyRole.RUN);
        OpenAiRequests.Parsed parsed = OpenAiRequests.completion(readBody(request));
        String id = "cmpl-" + randomId();
        long created = clock.instant().getEpochSecond();
        CallContext context = context(caller, "/v1/completions");
        if (!parsed.stream()) {
            ModelResponse answer = answer(parsed.request(), context, caller, null);
            return ok(answer, TextCompletion.of(id, created, answer));
        }
        String requested = parsed.request().model();
        stream(parsed, context, caller, new SseChunkWriter(response, json), new ChunkFactory() {
            @Override
            public void first(SseChunkWriter out) {
            }

            @Override
            public Object delta(String text) {
                return TextCompletion.chunk(id, created, requested, text, null);
            }

            @Override
            public Object finish(ModelResponse answer) {
                return TextCompletion.chunk(id, created, answer.modelRef(), "", answer.finishReason().wireName());
            }

            @Override
            public Object usage(ModelResponse answer) {
                return TextCompletion.usageChunk(id, created, answer.modelRef(), Usage.of(answer));
            }
        });
        return null;
    }

    @GetMapping("/v1/models")
    @Operation(summary = "Models this key can use ('provider/*': any model of that provider)")
    ModelList models(Caller caller) {
        caller.require(KeyRole.RUN);
        List<ModelEntry> data = new ArrayList<>();
        for (ModelInfo m : gateway.models(caller.workspaceId().toString())) {
            data.add(ModelEntry.of(m.ref(), m.provider()));
        }
        for (ChatModelRoute route : routes) {
            route.models(caller.workspaceId()).forEach(ref -> data.add(ModelEntry.of(ref, ref.substring(0, ref.indexOf('/')))));
        }
        return new ModelList("list", data);
    }

    @GetMapping("/v1/models/{*id}")
    @Operation(summary = "One model, e.g. GET /v1/models/openai/gpt-4o-mini")
    ModelEntry model(Caller caller, @PathVariable("id") String path) {
        caller.require(KeyRole.RUN);
        String id = path.startsWith("/") ? path.substring(1) : path;
        for (ChatModelRoute route : routes) {
            if (route.handles(id)) {
                if (route.models(caller.workspaceId()).contains(id)) {
                    return ModelEntry.of(id, id.substring(0, id.indexOf('/')));
                }
                throw new GatewayException.ModelNotFound("model '" + id + "' does not exist in this workspace", null, id, null);
            }
        }
        List<ModelInfo> known = gateway.models(caller.workspaceId().toString());
        for (ModelInfo m : known) {
            boolean matches = m.wildcard() ? id.startsWith(m.provider() + "/") && id.length() > m.provider().length() + 1
                    : m.ref().equals(id) || (id.indexOf('/') < 0 && m.model().equals(id));
            if (matches) {
                return ModelEntry.of(id, m.provider());
            }
        }
        throw new GatewayException.UnknownModel(id, known.stream().map(ModelInfo::ref).toList());
    }

    /** How one endpoint turns the gateway's stream into chunks. */
    private interface ChunkFactory {
        /** Sent once, before the first text (chat: the {@code role} delta). */
        void first(SseChunkWriter out);

        Object delta(String text);

        Object finish(ModelResponse answer);

        Object usage(ModelResponse answer);
    }

    /**
     * Streams one call. Until the first text arrives nothing is committed, so an unknown model, a
     * spent budget or a provider failing before its first token is an ordinary HTTP error (thrown to
     * {@link OpenAiExceptionHandler}); after that a failure is an explicit error event and the
     * stream ends without {@code [DONE]}.
     */
    private void stream(OpenAiRequests.Parsed parsed, CallContext context, Caller caller, SseChunkWriter out,
            ChunkFactory chunks) {
        Runnable begin = () -> {
            if (!out.started()) {
                out.start();
                chunks.first(out);
            }
        };
        try {
            ModelResponse answer = answer(parsed.request(), context, caller, text -> {
                begin.run();
                out.data(chunks.delta(text));
            });
            begin.run();
            out.data(chunks.finish(answer));
            if (parsed.includeUsage()) {
                out.data(chunks.usage(answer));
            }
            out.done();
        } catch (SseChunkWriter.ClientGoneException e) {
            log.debug("Client left a stream of {}: {}", parsed.request().model(), e.getCause().toString());
        } catch (GatewayException e) {
            if (!out.started()) {
                throw e;
            }
            endWithError(out, OpenAiError.of(e));
        } catch (RuntimeException e) {
            if (!out.started()) {
                throw e;
            }
            String errorId = UUID.randomUUID().toString();
            log.error("Unexpected error {} in a stream of {}", errorId, parsed.request().model(), e);
            endWithError(out, OpenAiError.of(500, "server_error", "internal_error", "Internal error",
                    "Something went wrong on our side; the error was logged as " + errorId));
        }
    }

    /** The answer of the route serving the model ({@link ChatModelRoute}), else of the gateway; streamed when {@code deltas} is set. */
    private ModelResponse answer(ModelRequest request, CallContext context, Caller caller, StreamListener deltas) {
        for (ChatModelRoute route : routes) {
            if (route.handles(request.model())) {
                return route.answer(request, caller.workspaceId(), caller.keyId(), deltas == null ? null : deltas::onDelta);
            }
        }
        return deltas == null ? gateway.call(request, context) : gateway.stream(request, context, deltas);
    }

    private static void endWithError(SseChunkWriter out, OpenAiError error) {
        try {
            out.error(error);
        } catch (SseChunkWriter.ClientGoneException gone) {
            log.debug("Client left before the error event: {}", gone.getCause().toString());
        }
    }

    private JsonNode readBody(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw new OpenAiRequestException(null, "a JSON request body is required");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            String message = e.getOriginalMessage();
            int cut = message == null ? -1 : message.indexOf('\n');
            throw new OpenAiRequestException(null, "the body is not valid JSON: "
                    + (message == null ? "unreadable" : cut < 0 ? message : message.substring(0, cut)));
        }
    }

    private static CallContext context(Caller caller, String endpoint) {
        return new CallContext(caller.workspaceId().toString(), null,
                Map.of("endpoint", endpoint, "apiKeyId", caller.keyId().toString()));
    }

    /** The answer with which model answered and what it cost in headers (the body stays OpenAI's). */
    private static ResponseEntity<Object> ok(ModelResponse answer, Object body) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(HttpStatus.OK)
                .header("x-switchboard-model", answer.modelRef())
                .header("x-switchboard-cached", Boolean.toString(answer.cached()));
        if (answer.cost() != null) {
            builder.header("x-switchboard-cost-usd", answer.cost().toPlainString());
        }
        return builder.body(body);
    }

    private static String randomId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
