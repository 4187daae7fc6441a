package dev.switchboard.engine;

/**
 * A model call failed. The message is shown in the run trace, so it must never contain API keys
 * or other secrets.
 */
public class ModelCallException extends RuntimeException {

    private final boolean retriable;
    private final Integer status;

    /**
     * @param retriable whether trying again may succeed (rate limits, 5xx, timeouts)
     * @param status    HTTP-ish status of the provider's answer, or null
     */
    public ModelCallException(String message, boolean retriable, Integer status, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.status = status;
    }

    public ModelCallException(String message, boolean retriable, Integer status) {
        this(message, retriable, status, null);
    }

    public boolean retriable() {
        return retriable;
    }

    /** HTTP-ish status, or null when there was no answer (connection failure, local engine). */
    public Integer status() {
        return status;
    }
}
