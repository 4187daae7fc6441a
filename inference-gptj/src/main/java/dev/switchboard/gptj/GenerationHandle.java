package dev.switchboard.gptj;

import java.util.concurrent.CompletableFuture;

/** A request accepted by {@link GptjEngine#submit}. */
public interface GenerationHandle {

    /** Completes when the generation ends (also when cancelled: then with {@link FinishReason#CANCELLED}). */
    CompletableFuture<GenerationResult> result();

    /** Asks the engine to stop this request at the next step; the result keeps the text produced so far. Idempotent. */
    void cancel();
}
