package dev.switchboard.engine.internal;

import dev.switchboard.engine.NodeError;

/** Thrown inside the engine's node helpers (rendering, evaluation) to fail the attempt with a given error. */
final class NodeFailure extends RuntimeException {
    final NodeError error;

    NodeFailure(NodeError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }
}
