package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.StreamListener;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.ProviderRegistry.Route;
import dev.switchboard.gateway.spi.ProviderStream;

/**
 * The committed part of a stream: text has reached the caller, so there is no retry and no fallback. Ends in
 * exactly one of: the response (clean end marker seen), {@link GatewayException.StreamInterrupted} (upstream
 * failure, error event, end without marker, idle timeout), {@link GatewayException.Cancelled}, or the listener's
 * own exception. In every case the upstream is cancelled, the lease ended and the consumed tokens charged.
 * Used by one thread.
 */
final class StreamSession {

    private final AttemptRunner runner;
    private final Route route;
    private final ModelRequest request;
    private final CallContext context;
    private final Admission.Lease lease;
    private final ProviderStream stream;
    private final StringBuilder text = new StringBuilder();

    StreamSession(AttemptRunner runner, Route route, ModelRequest request, CallContext context, Admission.Lease lease,
                  ProviderStream stream) {
        this.runner = runner;
        this.route = route;
        this.request = request;
        this.context = context;
        this.lease = lease;
        this.stream = stream;
    }

    AttemptRunner.Outcome run(String firstText, StreamListener listener) {
        try {
            deliver(firstText, listener);
            while (true) {
                ProviderStream.Event event = runner.next(stream, runner.idleTimeout(route, context), route, true);
                switch (event) {
                    case ProviderStream.Delta d -> deliver(d.text(), listener);
                    case ProviderStream.Done done -> {
                        Usage usage = AttemptRunner.usage(request, done.response());
                        lease.succeeded(usage);
                        return runner.finished(route, request, context, lease, done.response(), usage);
                    }
                    case ProviderStream.Failed f -> throw f.error();
                }
            }
        } catch (GatewayException e) {
            stream.cancel();
            runner.end(lease, e, usedTokens());
            runner.record(route, request, lease, null, e);
            runner.chargePartial(route, request, context, text.toString());
            if (e instanceof GatewayException.Cancelled) {
                throw e;
            }
            runner.metrics().streamInterrupted(route.provider().name(), route.model());
            throw new GatewayException.StreamInterrupted("stream from " + route.provider().name()
                    + " failed after text was sent: " + e.getMessage(), route.provider().name(), route.model(),
                    text.toString(), e);
        } catch (RuntimeException listenerFailure) {
            stream.cancel();
            lease.abandoned(usedTokens());
            runner.chargePartial(route, request, context, text.toString());
            throw listenerFailure;
        }
    }

    private void deliver(String piece, StreamListener listener) {
        text.append(piece);
        listener.onDelta(piece);
    }

    private int usedTokens() {
        return TokenEstimator.input(request) + TokenEstimator.text(text.toString());
    }
}
