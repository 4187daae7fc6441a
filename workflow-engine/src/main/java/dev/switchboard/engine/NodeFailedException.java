package dev.switchboard.engine;

/**
 * Fails the node's attempt with exactly this {@link NodeError} — the thrown twin of
 * {@link NodeResult#fail}, for code deep in a node (or inside a side effect) that would otherwise
 * need its own exception and a catch that turns it into a result. The message is shown in the run
 * trace, so it must never contain secrets. No stack trace is captured.
 */
public final class NodeFailedException extends RuntimeException {

    private final NodeError error;

    public NodeFailedException(NodeError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public NodeFailedException(String type, String message, boolean retriable) {
        this(new NodeError(type, message, retriable));
    }

    public NodeError error() {
        return error;
    }
}
