package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeError;

/**
 * Thrown by a detector to fail the node attempt with a specific {@link NodeError}; the executor
 * turns it into {@code NodeResult.fail}, so the node's retry and {@code onError} policy apply.
 */
final class PolicyFailure extends RuntimeException {

    final NodeError error;

    PolicyFailure(NodeError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }
}
