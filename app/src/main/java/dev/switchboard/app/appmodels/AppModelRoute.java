package dev.switchboard.app.appmodels;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.RunTarget;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.openai.ChatModelRoute;
import dev.switchboard.app.runs.RunEventSink;
import dev.switchboard.app.runs.RunProperties;
import dev.switchboard.app.runs.RunService;
import dev.switchboard.app.runs.RunSource;
import dev.switchboard.app.runs.RunStart;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.InputField;
import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Published apps as models of the OpenAI-compatible API: {@code model: "app/<appId>"}. The last
 * user message becomes the app's first text input; the app's {@code answer} output (or its first
 * output) comes back as the assistant message. The whole conversation is the run's trigger data
 * ({@code {{trigger.messages}}}), so an app may use earlier turns. Each call is an ordinary run of
 * the app's latest published version (source {@code api}), traced and counted like any other.
 *
 * <p>Streaming sends the tokens of the {@code ai} node whose text the answer output is (a plain
 * {@code {{node.text}}}) as they are generated; otherwise, or for whatever the streamed text lacks
 * of the final answer, the answer follows in one piece when the run ends. A blocked run answers
 * with its block message and {@code finish_reason: content_filter}. Drafts and other workspaces'
 * apps are not models: 404 {@code model_not_found}.
 */
@Component
class AppModelRoute implements ChatModelRoute {

    static final String PREFIX = "app/";
    private static final int MAX_LISTED = 1_000;

    private final RunTargets targets;
    private final RunService runs;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Duration runDeadline;

    AppModelRoute(RunTargets targets, RunService runs, JdbcTemplate jdbc, JsonMapper json, RunProperties runProperties) {
        this.targets = targets;
        this.runs = runs;
        this.jdbc = jdbc;
        this.json = json;
        this.runDeadline = runProperties.deadline();
    }

    @Override
    public boolean handles(String model) {
        return model != null && model.startsWith(PREFIX);
    }

    @Override
    public List<String> models(UUID workspaceId) {
        return jdbc.queryForList("SELECT id FROM apps WHERE workspace_id = ? AND latest_version IS NOT NULL "
                + "ORDER BY created_at, id LIMIT " + MAX_LISTED, UUID.class, workspaceId).stream()
                .map(id -> PREFIX + id).toList();
    }

    @Override
    public ModelResponse answer(ModelRequest request, UUID workspaceId, UUID apiKeyId, Consumer<String> deltas) {
        String model = request.model();
        UUID appId = appId(model);
        RunTarget target;
        try {
            target = targets.resolve(workspaceId, appId, VersionSelector.LATEST, false);
        } catch (ApiException e) {
            throw notFound(model);
        }
        InputField field = target.graph().inputFields().stream().filter(f -> f.type() == InputField.Type.TEXT)
                .findFirst().orElseThrow(() -> new GatewayException.InvalidRequest("model",
                        "app " + appId + " has no text input to put the message in"));
        List<String> outputs = target.graph().outputNames();
        String output = outputs.contains("answer") ? "answer" : outputs.isEmpty() ? null : outputs.getFirst();
        RunStart start = new RunStart(workspaceId, appId, new VersionSelector.Exact(target.version()), false,
                Map.of(field.name(), lastUserMessage(request)), trigger(request), RunSource.API, apiKeyId);
        RunView run;
        try {
            run = deltas == null ? runs.runSync(start)
                    : streamed(start, AnswerNode.of(target.graph(), output), output, deltas);
        } catch (ApiException e) {
            throw asGatewayError(e, model);
        }
        return response(run, appId, output, model);
    }

    /** Runs streamed; tokens of the answer's ai node go to {@code deltas}, then whatever the answer has beyond them. */
    private RunView streamed(RunStart start, String answerNode, String output, Consumer<String> deltas) {
        CompletableFuture<RunView> finished = new CompletableFuture<>();
        TokenRelay relay = new TokenRelay(answerNode, deltas, finished);
        runs.runStreaming(start, relay);
        RunView run;
        try {
            run = finished.get(runDeadline.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException.Cancelled("the call was interrupted", "app", null, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new GatewayException.Timeout("the app's run did not finish in time", "app", null, null, e);
        }
        relay.rethrowIfClientLeft();
        if (run.status().equals("succeeded") || run.status().equals("blocked")) {
            String text = answerText(run, output);
            String sent = relay.sent();
            if (text.startsWith(sent) && text.length() > sent.length()) {
                relay.send(text.substring(sent.length()));
            }
            relay.rethrowIfClientLeft();
        }
        return run;
    }

    private ModelResponse response(RunView run, UUID appId, String output, String model) {
        FinishReason finish = switch (run.status()) {
            case "succeeded" -> FinishReason.STOP;
            case "blocked" -> FinishReason.CONTENT_FILTER;
            case "timed_out" -> throw new GatewayException.Timeout("the app's run timed out (run " + run.id() + ")", "app",
                    appId.toString(), null, null);
            case "waiting_review" -> throw new GatewayException.ProviderError("the app's run " + run.id()
                    + " is waiting for human review; its answer will be in GET /api/v1/runs/" + run.id(), "app",
                    appId.toString(), null, null);
            default -> throw new GatewayException.ProviderError("the app's run " + run.id() + " ended " + run.status()
                    + (run.error() != null && run.error().get("message") != null ? ": " + run.error().get("message") : ""),
                    "app", appId.toString(), null, null);
        };
        UsageView u = run.usage();
        Usage usage = u == null ? Usage.NONE : new Usage(u.inputTokens(), u.outputTokens(),
                u.estimated() ? Usage.Source.ESTIMATED : Usage.Source.PROVIDER);
        Duration latency = run.latencyMs() == null ? Duration.ZERO : Duration.ofNanos((long) (run.latencyMs() * 1e6));
        return new ModelResponse(run.id().toString(), answerText(run, output), finish, usage, latency, "app",
                appId.toString(), u == null ? null : u.cost(), false);
    }

    /** The answer output as text; for a blocked run, the block message. */
    private String answerText(RunView run, String output) {
        if (run.status().equals("blocked")) {
            Object message = run.error() == null ? null : run.error().get("message");
            return message == null ? "" : message.toString();
        }
        Object value = run.outputs() == null || output == null ? null : run.outputs().get(output);
        if (value == null) {
            return "";
        }
        return value instanceof String s ? s : json.writeValueAsString(value);
    }

    private static UUID appId(String model) {
        try {
            return UUID.fromString(model.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw notFound(model);
        }
    }

    private static GatewayException notFound(String model) {
        return new GatewayException.ModelNotFound("model '" + model + "' is not a published app of this workspace", "app",
                model.substring(PREFIX.length()), null);
    }

    private static String lastUserMessage(ModelRequest request) {
        List<ChatMessage> messages = request.messagesOrPrompt();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        throw new GatewayException.InvalidRequest("messages", "an app answers the last user message, and there is none");
    }

    private static Map<String, Object> trigger(ModelRequest request) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage m : request.messagesOrPrompt()) {
            messages.add(Map.of("role", m.role().name().toLowerCase(java.util.Locale.ROOT), "content", m.content()));
        }
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("source", "openai");
        trigger.put("model", request.model());
        trigger.put("messages", messages);
        return trigger;
    }

    /** A refused run (bad inputs: e.g. the message is longer than the input allows) as an OpenAI error. */
    private static GatewayException asGatewayError(ApiException e, String model) {
        if (e.status().value() == 404) {
            return notFound(model);
        }
        StringBuilder message = new StringBuilder(e.getMessage());
        if (e.properties().get("errors") instanceof List<?> errors) {
            for (Object o : errors) {
                if (o instanceof FieldProblem p) {
                    message.append("; ").append(p.field()).append(": ").append(p.message());
                }
            }
        }
        if (e.status().is4xxClientError()) {
            return new GatewayException.InvalidRequest("messages", message.toString());
        }
        return new GatewayException.ProviderError(message.toString(), "app", model.substring(PREFIX.length()), null, e);
    }

    /**
     * Relays the answer node's tokens to the client as they come (on the run's thread). A client
     * that leaves stops the relay, not the run: the run is recorded as usual.
     */
    private static final class TokenRelay implements RunEventSink {
        private final String node;
        private final Consumer<String> deltas;
        private final CompletableFuture<RunView> finished;
        private final StringBuilder sent = new StringBuilder();
        private RuntimeException clientGone;

        TokenRelay(String node, Consumer<String> deltas, CompletableFuture<RunView> finished) {
            this.node = node;
            this.deltas = deltas;
            this.finished = finished;
        }

        @Override
        public void event(String name, Object data) {
            if (node != null && name.equals("token") && data instanceof Map<?, ?> token && node.equals(token.get("nodeId"))
                    && token.get("text") instanceof String text) {
                send(text);
            }
        }

        @Override
        public void done(RunView run, boolean recorded) {
            finished.complete(run);
        }

        synchronized void send(String text) {
            if (clientGone != null || text.isEmpty()) {
                return;
            }
            try {
                deltas.accept(text);
                sent.append(text);
            } catch (RuntimeException e) {
                clientGone = e;
            }
        }

        synchronized String sent() {
            return sent.toString();
        }

        synchronized void rethrowIfClientLeft() {
            if (clientGone != null) {
                throw clientGone;
            }
        }
    }
}
