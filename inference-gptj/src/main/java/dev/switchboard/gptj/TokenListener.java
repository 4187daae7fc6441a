package dev.switchboard.gptj;

/**
 * Receives a generation as it happens. Calls for one request arrive in order, one at a time, on a
 * thread of the engine's own (never the batching thread, so a slow listener delays only its own
 * request). A listener that throws cancels its request.
 */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = (tokenId, textDelta) -> { };

    /**
     * One generated token and the text it completes. {@code textDelta} is empty while the token
     * ends inside a UTF-8 character or might begin a stop sequence; the held-back text arrives with a
     * later call. The concatenation of all deltas equals {@link GenerationResult#text()}.
     */
    void onToken(int tokenId, String textDelta);
}
