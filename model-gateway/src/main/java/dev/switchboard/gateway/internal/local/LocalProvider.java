package dev.switchboard.gateway.internal.local;

import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.spi.ModelProvider;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderFactory;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderSettings;
import dev.switchboard.gateway.spi.ProviderStream;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.GenerationHandle;
import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GenerationResult;
import dev.switchboard.gptj.GptjEngine;
import dev.switchboard.gptj.GptjException;
import dev.switchboard.gptj.InvalidRequestException;
import dev.switchboard.gptj.Sampling;
import dev.switchboard.gptj.TokenListener;
import dev.switchboard.gptj.WeightFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Type {@code local}: GPT-J checkpoints served in process by the inference-gptj engine. Every configured model
 * directory is loaded when the gateway is built (a missing or corrupt checkpoint fails the start, naming the
 * setting) and gets its own engine; all requests for a model share that engine's continuous batcher, so
 * concurrent calls are decoded together. Streaming deltas never split a UTF-8 character; cancelling a call (a
 * timeout, a client that left) stops its sequence at the next decoding step. Token counts are exact (the model's
 * own tokenizer); the price is 0 unless configured.
 *
 * <p>Chat requests are rendered with {@link ChatTranscript} (GPT-J has no chat template). Thread-safe.
 */
public final class LocalProvider implements ModelProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProvider.class);

    /** Factory of type {@code local}. */
    public static final ProviderFactory FACTORY = LocalProvider::new;

    private record Served(LocalModelConfig config, GptjEngine engine) {
    }

    /** A request turned into the engine's terms. */
    private record Prepared(GenerationRequest generation, boolean chat) {
    }

    private final String name;
    private final Map<String, Served> models;
    /** Generations running now (for tests and close): their results complete when they end, however they end. */
    private final Set<CompletableFuture<GenerationResult>> running = ConcurrentHashMap.newKeySet();

    LocalProvider(ProviderSettings settings) {
        this.name = settings.name();
        Map<String, LocalModelConfig> configs = LocalModelConfig.parse(name, settings.config().options(),
                settings.defaultMaxTokens());
        if (configs.isEmpty()) {
            throw new IllegalArgumentException(LocalModelConfig.setting(name, "models.<name>.path")
                    + " must name at least one GPT-J checkpoint directory for the local provider");
        }
        Map<String, Served> loaded = new LinkedHashMap<>();
        try {
            for (LocalModelConfig config : configs.values()) {
                loaded.put(config.name(), new Served(config, load(config)));
            }
        } catch (RuntimeException e) {
            loaded.values().forEach(s -> s.engine().close());
            throw e;
        }
        this.models = Map.copyOf(loaded);
    }

    private GptjEngine load(LocalModelConfig config) {
        long started = System.nanoTime();
        EngineOptions options = EngineOptions.defaults()
                .withThreads(config.threads())
                .withWeights(config.int8Activations() ? WeightFormat.W8A8 : config.int8() ? WeightFormat.INT8 : WeightFormat.AS_STORED)
                .withKvCache(config.kvCache())
                .withMaxBatchSize(config.maxBatchSize())
                .withTokenizerDir(config.tokenizer());
        GptjEngine engine;
        try {
            engine = GptjEngine.load(config.path(), options);
        } catch (GptjException | IllegalArgumentException e) {
            throw new IllegalArgumentException(LocalModelConfig.setting(name, "models." + config.name() + ".path")
                    + ": cannot load " + config.path() + ": " + e.getMessage(), e);
        }
        if (!engine.hasTokenizer()) {
            engine.close();
            throw new IllegalArgumentException(LocalModelConfig.setting(name, "models." + config.name() + ".tokenizer")
                    + ": no tokenizer.json in " + config.path() + "; name the directory that has it");
        }
        LOG.info("local model '{}' loaded from {} in {} ms: {}", config.name(), config.path(),
                (System.nanoTime() - started) / 1_000_000, engine.describe());
        if (config.warmUp()) {
            try {
                LOG.info("local model '{}' warmed up in {} ms", config.name(), engine.warmUp());
            } catch (RuntimeException e) {
                engine.close();
                throw new IllegalStateException("local model '" + config.name() + "': warm-up failed: " + e.getMessage(), e);
            }
        }
        return engine;
    }

    @Override
    public List<String> models() {
        return List.copyOf(models.keySet());
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderCall call) {
        CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
        Served served;
        Prepared prepared;
        GenerationHandle handle;
        try {
            served = served(call);
            prepared = prepare(served, call.request());
            handle = submit(served, prepared, TokenListener.NONE);
        } catch (GatewayException e) {
            out.completeExceptionally(e);
            return out;
        }
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                handle.cancel(); // the gateway's time limit or the caller gave up
            }
        });
        handle.result().whenComplete((result, error) -> {
            if (error != null) {
                out.completeExceptionally(failure(served, error));
            } else if (result.finishReason() == dev.switchboard.gptj.FinishReason.CANCELLED) {
                out.completeExceptionally(new GatewayException.Cancelled("local model '" + served.config().name()
                        + "' stopped the generation", name, served.config().name(), null));
            } else {
                out.complete(response(served, prepared, result));
            }
        });
        return out;
    }

    @Override
    public ProviderStream stream(ProviderCall call) {
        ProviderStream stream = new ProviderStream();
        Served served;
        Prepared prepared;
        GenerationHandle handle;
        try {
            served = served(call);
            prepared = prepare(served, call.request());
            ChatLeadTrimmer trimmer = new ChatLeadTrimmer(prepared.chat());
            handle = submit(served, prepared, (tokenId, delta) -> stream.delta(trimmer.apply(delta)));
        } catch (GatewayException e) {
            stream.fail(e);
            return stream;
        }
        stream.onCancel(handle::cancel);
        handle.result().whenComplete((result, error) -> {
            if (error != null) {
                stream.fail(failure(served, error));
            } else if (result.finishReason() == dev.switchboard.gptj.FinishReason.CANCELLED) {
                stream.fail(new GatewayException.Cancelled("local model '" + served.config().name()
                        + "' stopped the generation", name, served.config().name(), null));
            } else {
                stream.done(response(served, prepared, result));
            }
        });
        return stream;
    }

    private Served served(ProviderCall call) {
        Served served = models.get(call.model());
        if (served == null) {
            throw new GatewayException.ModelNotFound("local provider '" + name + "' serves no model '" + call.model()
                    + "' (it serves " + String.join(", ", models.keySet()) + ")", name, call.model(), null);
        }
        return served;
    }

    private Prepared prepare(Served served, ModelRequest request) {
        boolean chat = request.isChat();
        String prompt = chat ? ChatTranscript.render(request.messages()) : request.prompt();
        List<Integer> ids = served.engine().tokenizer().encode(prompt);
        int window = served.engine().config().nPositions();
        if (ids.isEmpty()) {
            throw new GatewayException.InvalidRequest("prompt", "prompt is empty: GPT-J needs at least one token to continue from",
                    name, served.config().name(), null);
        }
        if (ids.size() > window) {
            throw new GatewayException.ContextLengthExceeded("the prompt has " + ids.size() + " tokens but "
                    + name + "/" + served.config().name() + " has a context window of " + window + " tokens",
                    name, served.config().name(), null);
        }
        List<String> stop = new ArrayList<>(request.stop());
        if (chat) {
            stop.add(ChatTranscript.STOP);
        }
        double temperature = request.temperature() != null ? request.temperature() : 1.0;
        double topP = request.topP() == null ? 1.0 : Math.max(request.topP(), Double.MIN_NORMAL); // 0: only the top token
        Sampling sampling = new Sampling(temperature, request.topK() != null ? request.topK() : 0, topP,
                served.config().repetitionPenalty(), request.seed());
        int maxTokens = request.maxTokens() != null ? request.maxTokens() : served.config().defaultMaxTokens();
        return new Prepared(new GenerationRequest(new GenerationRequest.Prompt.Tokens(ids), maxTokens, sampling, stop, true),
                chat);
    }

    private GenerationHandle submit(Served served, Prepared prepared, TokenListener listener) {
        try {
            GenerationHandle handle = served.engine().submit(prepared.generation(), listener);
            CompletableFuture<GenerationResult> result = handle.result();
            running.add(result);
            result.whenComplete((r, e) -> running.remove(result));
            return handle;
        } catch (InvalidRequestException e) {
            throw new GatewayException.InvalidRequest(null, e.getMessage(), name, served.config().name(), null);
        } catch (IllegalStateException e) {
            throw new GatewayException.Unavailable("local model '" + served.config().name() + "' is not running: "
                    + e.getMessage(), name, served.config().name(), GatewayException.Unavailable.Reason.CONNECT_FAILED, e);
        }
    }

    private GatewayException failure(Served served, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GatewayException g) {
            return g;
        }
        return new GatewayException.ProviderError("local model '" + served.config().name() + "' failed: " + cause,
                name, served.config().name(), null, cause);
    }

    private ProviderResponse response(Served served, Prepared prepared, GenerationResult result) {
        FinishReason reason = result.finishReason() == dev.switchboard.gptj.FinishReason.LENGTH ? FinishReason.LENGTH
                : FinishReason.STOP;
        return new ProviderResponse(null, prepared.chat() ? result.text().stripLeading() : result.text(), reason,
                Usage.provider(result.promptTokens(), result.completionTokens()), null, served.config().name());
    }

    /** The results of the generations running now. */
    List<CompletableFuture<GenerationResult>> running() {
        return List.copyOf(running);
    }

    @Override
    public void close() {
        models.values().forEach(s -> s.engine().close());
    }

    /** Chat answers start after "Assistant:"; the space the model writes first is dropped, also from the stream. */
    private static final class ChatLeadTrimmer {
        private boolean leading;

        ChatLeadTrimmer(boolean chat) {
            this.leading = chat;
        }

        /** Called on the engine's delivery thread, one call at a time. */
        String apply(String delta) {
            if (!leading) {
                return delta;
            }
            String trimmed = delta.stripLeading();
            if (!trimmed.isEmpty()) {
                leading = false;
            }
            return trimmed;
        }
    }
}
