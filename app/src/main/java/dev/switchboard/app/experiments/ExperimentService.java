package dev.switchboard.app.experiments;

import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.experiments.ExperimentViews.ExperimentPage;
import dev.switchboard.app.experiments.ExperimentViews.ExperimentSummary;
import dev.switchboard.app.experiments.ExperimentViews.ExperimentView;
import dev.switchboard.app.experiments.ExperimentViews.Message;
import dev.switchboard.app.experiments.ExperimentViews.PromptView;
import dev.switchboard.app.experiments.ExperimentViews.Source;
import dev.switchboard.app.experiments.ExperimentViews.Usage;
import dev.switchboard.app.experiments.ExperimentViews.VariantError;
import dev.switchboard.app.experiments.ExperimentViews.VariantResult;
import dev.switchboard.app.experiments.VariantSpec.Params;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.ModelCall;
import dev.switchboard.engine.ModelCallContext;
import dev.switchboard.engine.ModelCallException;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.ModelResult;
import dev.switchboard.engine.RunContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Experiments: one prompt — typed in, or rendered from an app's {@code ai} node — sent to several
 * models and parameter sets at once (at most {@code switchboard.experiments.concurrency} calls in
 * flight), each variant reporting its output, latency, tokens and cost, or its error. A failing
 * variant never fails the others. Every experiment is stored.
 */
@Service
class ExperimentService {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final int MAX_PROMPT = 1_000_000;

    /** An experiment as the client asks for it; see the controller for the JSON. */
    record Request(String name, String prompt, JsonNode messages, UUID appId, String nodeId, JsonNode version,
            Map<String, Object> inputs, Map<String, Object> upstream, JsonNode variants, JsonNode models,
            JsonNode parameterSets) {
    }

    private final ModelClient models;
    private final PromptRenderer renderer;
    private final ExperimentStore store;
    private final ExperimentProperties properties;
    private final Ids ids;
    private final Clock clock;

    ExperimentService(ModelClient models, PromptRenderer renderer, ExperimentStore store, ExperimentProperties properties,
            Ids ids, Clock clock) {
        this.models = models;
        this.renderer = renderer;
        this.store = store;
        this.properties = properties;
        this.ids = ids;
        this.clock = clock;
    }

    ExperimentView run(UUID workspaceId, UUID apiKeyId, Request request) {
        Request r = new Request(request.name(), request.prompt(), absentIfNull(request.messages()), request.appId(),
                request.nodeId(), request.version(), request.inputs(), request.upstream(), request.variants(),
                request.models(), request.parameterSets());
        List<FieldProblem> problems = new ArrayList<>();
        boolean fromApp = r.appId() != null || r.nodeId() != null;
        boolean typed = r.prompt() != null || r.messages() != null;
        if (fromApp == typed) {
            problems.add(new FieldProblem("prompt", fromApp ? "invalid" : "required", fromApp
                    ? "give either a prompt (prompt or messages) or an app's ai node (appId and nodeId), not both"
                    : "give a prompt (prompt or messages) or an app's ai node (appId and nodeId)"));
        }
        if (fromApp && (r.appId() == null || r.nodeId() == null || r.nodeId().isBlank())) {
            problems.add(new FieldProblem(r.appId() == null ? "appId" : "nodeId", "required",
                    "appId and nodeId are both needed to take the prompt from an app's ai node"));
        }
        String name = r.name() == null || r.name().isBlank() ? null : r.name().strip();
        if (name != null && name.length() > 200) {
            problems.add(new FieldProblem("name", "out-of-range", "name must be at most 200 characters"));
        }
        List<Message> messages = typed ? messages(r, problems) : null;
        List<VariantSpec> variants = variants(r, fromApp, problems);
        VersionSelector selector = fromApp ? selector(r.version(), problems) : null;
        if (!problems.isEmpty()) {
            throw ApiException.invalidFields("The experiment is invalid", problems);
        }
        PromptView prompt;
        Params base = Params.NONE;
        List<String> nodeModels = null;
        if (fromApp) {
            PromptRenderer.Rendered rendered = renderer.render(workspaceId, r.appId(), r.nodeId(), selector, r.inputs(),
                    r.upstream());
            List<FieldProblem> nodeProblems = new ArrayList<>();
            base = Params.parse(rendered.nodeConfig(), "node", Set.copyOf(namesOutside(rendered.nodeConfig())), nodeProblems);
            nodeModels = VariantSpec.models(rendered.nodeConfig().get("model"), "model", nodeProblems);
            prompt = new PromptView(rendered.prompt(), rendered.messages(), new Source(r.appId(), r.nodeId(),
                    rendered.version(), r.inputs() == null ? Map.of() : r.inputs(), rendered.upstreamUsage()));
        } else {
            prompt = new PromptView(r.prompt(), messages, null);
        }
        if (variants.isEmpty()) {
            variants = List.of(new VariantSpec(nodeModels, Params.NONE)); // the node as configured
        }
        UUID id = ids.next();
        Instant createdAt = clock.instant();
        List<VariantResult> results = execute(id, workspaceId, r.appId(), r.nodeId(), prompt, base, variants);
        ExperimentView view = new ExperimentView(id, name, prompt, results, createdAt);
        store.insert(workspaceId, apiKeyId, view);
        return view;
    }

    ExperimentView get(UUID workspaceId, UUID id) {
        return store.find(workspaceId, id).orElseThrow(() -> ApiException.notFound("experiment", id));
    }

    ExperimentPage list(UUID workspaceId, UUID appId, String cursor, int limit) {
        List<ExperimentSummary> items = store.list(workspaceId, appId, cursor, limit + 1);
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = ExperimentStore.cursor(items.getLast());
        }
        return new ExperimentPage(items, next);
    }

    private List<VariantResult> execute(UUID id, UUID workspaceId, UUID appId, String nodeId, PromptView prompt,
            Params base, List<VariantSpec> variants) {
        Semaphore slots = new Semaphore(properties.concurrency());
        List<Future<VariantResult>> futures = new ArrayList<>(variants.size());
        long waitMillis = properties.timeout().toMillis() + 5_000;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < variants.size(); i++) {
                int index = i;
                VariantSpec v = variants.get(i);
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return call(id, index, workspaceId, appId, nodeId, prompt, base.with(v.params()), v.models());
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<VariantResult> results = new ArrayList<>(variants.size());
            for (int i = 0; i < futures.size(); i++) {
                results.add(await(futures.get(i), i, variants.get(i), base, waitMillis));
            }
            return results;
        }
    }

    private static VariantResult await(Future<VariantResult> future, int index, VariantSpec v, Params base, long waitMillis) {
        try {
            return future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(index, v.models(), base.with(v.params()), null, new VariantError("the model did not answer in time",
                    true, null));
        } catch (ExecutionException e) {
            return failed(index, v.models(), base.with(v.params()), null, new VariantError("the call failed: "
                    + e.getCause().getClass().getSimpleName(), false, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return failed(index, v.models(), base.with(v.params()), null, new VariantError("cancelled", false, null));
        }
    }

    private VariantResult call(UUID id, int index, UUID workspaceId, UUID appId, String nodeId, PromptView prompt,
            Params p, List<String> chain) {
        List<ChatMessage> messages = prompt.messages() == null ? null
                : prompt.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList();
        ModelCall call = new ModelCall(chain, messages == null ? prompt.prompt() : null, messages, p.maxTokens(),
                p.temperature(), p.topP(), p.topK(), p.stop(), p.seed());
        RunContext run = new RunContext(id + "/" + index, workspaceId.toString(), appId == null ? null : appId.toString(),
                "experiment", Map.of("experimentId", id.toString(), "variant", index));
        ModelCallContext ctx = new ModelCallContext(run, nodeId == null ? "experiment" : nodeId, null,
                clock.instant().plus(properties.timeout()), null);
        long started = System.nanoTime();
        try {
            ModelResult result = models.call(call, ctx);
            Usage usage = new Usage(result.usage().input(), result.usage().output(), result.usage().total(),
                    result.usage().estimated());
            return new VariantResult(index, chain, p.toMap(), "succeeded", result.text(), result.finishReason(),
                    result.modelRef(), result.latency().toNanos() / 1e6, usage, result.cost(), null);
        } catch (ModelCallException e) {
            return failed(index, chain, p, (System.nanoTime() - started) / 1e6,
                    new VariantError(e.getMessage(), e.retriable(), e.status()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(index, chain, p, null, new VariantError("cancelled", false, null));
        } catch (RuntimeException e) {
            return failed(index, chain, p, (System.nanoTime() - started) / 1e6,
                    new VariantError("the call failed: " + e.getClass().getSimpleName(), false, null));
        }
    }

    private static VariantResult failed(int index, List<String> chain, Params p, Double latencyMs, VariantError error) {
        return new VariantResult(index, chain, p.toMap(), "failed", null, null, null, latencyMs, null, null, error);
    }

    private List<Message> messages(Request r, List<FieldProblem> problems) {
        if (r.prompt() != null && r.messages() != null) {
            problems.add(new FieldProblem("messages", "invalid", "give prompt or messages, not both"));
            return null;
        }
        if (r.prompt() != null) {
            if (r.prompt().isBlank() || r.prompt().length() > MAX_PROMPT) {
                problems.add(new FieldProblem("prompt", "invalid", "prompt must be non-blank text of at most "
                        + MAX_PROMPT + " characters"));
            }
            return null;
        }
        JsonNode m = r.messages();
        if (!m.isArray() || m.isEmpty() || m.size() > 100) {
            problems.add(new FieldProblem("messages", "invalid", "messages must be a list of 1 to 100 {role, content}"));
            return null;
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            JsonNode e = m.get(i);
            String role = e.path("role").asString("");
            if (!ROLES.contains(role) || !e.path("content").isString()) {
                problems.add(new FieldProblem("messages[" + i + "]", "invalid",
                        "each message needs a role (system, user or assistant) and content text"));
            } else {
                out.add(new Message(role, e.get("content").asString()));
            }
        }
        return out;
    }

    private List<VariantSpec> variants(Request r, boolean fromApp, List<FieldProblem> problems) {
        List<VariantSpec> out = new ArrayList<>();
        boolean hasVariants = r.variants() != null && !r.variants().isNull();
        boolean hasModels = r.models() != null && !r.models().isNull();
        if (hasVariants && (hasModels || (r.parameterSets() != null && !r.parameterSets().isNull()))) {
            problems.add(new FieldProblem("variants", "invalid", "give variants, or models (with parameterSets), not both"));
            return out;
        }
        if (hasVariants) {
            if (!r.variants().isArray() || r.variants().isEmpty()) {
                problems.add(new FieldProblem("variants", "invalid", "variants must be a list of {model, ...parameters}"));
                return out;
            }
            for (int i = 0; i < r.variants().size(); i++) {
                JsonNode v = r.variants().get(i);
                String at = "variants[" + i + "]";
                List<String> chain = VariantSpec.models(v.get("model"), at + ".model", problems);
                Params p = Params.parse(v, at, Set.of("model"), problems);
                out.add(new VariantSpec(chain, p));
            }
        } else if (hasModels) {
            List<Params> sets = new ArrayList<>();
            JsonNode ps = r.parameterSets();
            if (ps == null || ps.isNull()) {
                sets.add(Params.NONE);
            } else if (!ps.isArray() || ps.isEmpty()) {
                problems.add(new FieldProblem("parameterSets", "invalid", "parameterSets must be a list of parameter objects"));
            } else {
                for (int i = 0; i < ps.size(); i++) {
                    sets.add(Params.parse(ps.get(i), "parameterSets[" + i + "]", Set.of(), problems));
                }
            }
            JsonNode ms = r.models();
            if (!ms.isArray() || ms.isEmpty()) {
                problems.add(new FieldProblem("models", "invalid", "models must be a list of \"provider/model\" refs"));
                return out;
            }
            for (int i = 0; i < ms.size(); i++) {
                List<String> chain = VariantSpec.models(ms.get(i), "models[" + i + "]", problems);
                for (Params p : sets) {
                    out.add(new VariantSpec(chain, p));
                }
            }
        } else if (!fromApp) {
            problems.add(new FieldProblem("models", "required", "name the models to try: models (with optional "
                    + "parameterSets) or variants"));
        }
        if (out.size() > properties.maxVariants()) {
            problems.add(new FieldProblem("variants", "out-of-range", out.size() + " variants requested; at most "
                    + properties.maxVariants() + " are allowed (switchboard.experiments.max-variants)"));
        }
        return out;
    }

    private static VersionSelector selector(JsonNode version, List<FieldProblem> problems) {
        if (version == null || version.isNull()) {
            return VersionSelector.DRAFT;
        }
        try {
            return VersionSelector.parse(version.isIntegralNumber() ? Long.toString(version.longValue())
                    : version.isString() ? version.asString() : "not a version");
        } catch (ApiException e) {
            problems.add(new FieldProblem("version", "invalid",
                    "version must be \"draft\", \"latest\" or a published version number >= 1"));
            return null;
        }
    }

    private static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    /** Keys of an ai node's config that are not sampling parameters (model, prompt, timeout, ...). */
    private static List<String> namesOutside(JsonNode config) {
        return config.propertyNames().stream().filter(k -> !Params.KEYS.contains(k)).toList();
    }
}
