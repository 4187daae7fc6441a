package dev.switchboard.gptj.internal.backend;

/**
 * The keys and values one sequence has accumulated, owned by the backend that made it. Positions
 * {@code [0, length())} are filled; {@link ForwardBackend#forward} appends.
 */
public interface KvCache extends AutoCloseable {

    /** Positions filled so far (the position of the next token). */
    int length();

    /** The most positions it can hold. */
    int capacity();

    /** Releases its memory; the cache must not be used afterwards. */
    @Override
    void close();
}
