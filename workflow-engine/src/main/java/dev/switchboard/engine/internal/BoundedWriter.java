package dev.switchboard.engine.internal;

import java.io.Writer;

/** A StringBuilder-backed writer that refuses to grow past a limit (template output bound). */
final class BoundedWriter extends Writer {

    /** Thrown when rendering would exceed the limit. */
    static final class LimitExceeded extends RuntimeException {
        LimitExceeded(int limit) {
            super("The template's output is longer than the limit of " + limit + " characters.", null, false, false);
        }
    }

    private final StringBuilder sb;
    private final int limit;

    BoundedWriter(int limit, int initialCapacity) {
        this.limit = limit;
        this.sb = new StringBuilder(Math.min(limit, Math.max(16, initialCapacity)));
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        check(len);
        sb.append(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
        check(len);
        sb.append(str, off, off + len);
    }

    @Override
    public Writer append(CharSequence csq) {
        CharSequence s = csq == null ? "null" : csq;
        check(s.length());
        sb.append(s);
        return this;
    }

    @Override
    public Writer append(CharSequence csq, int start, int end) {
        CharSequence s = csq == null ? "null" : csq;
        check(end - start);
        sb.append(s, start, end);
        return this;
    }

    @Override
    public void write(int c) {
        check(1);
        sb.append((char) c);
    }

    private void check(int more) {
        if (sb.length() + (long) more > limit) {
            throw new LimitExceeded(limit);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
