package dev.switchboard.gateway;

/**
 * Receives generated text as it arrives. Called on the thread that called
 * {@link ModelGateway#stream}, in order, never concurrently.
 *
 * <p>Contract: the first call means bytes reached the caller; from then on the gateway neither retries
 * nor falls back, and a failure ends the call with {@link GatewayException.StreamInterrupted} — never as a
 * normal return. If the listener throws, the upstream stream is cancelled and the exception propagates.
 */
@FunctionalInterface
public interface StreamListener {

    /** A non-empty piece of generated text. */
    void onDelta(String text);
}
