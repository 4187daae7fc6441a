package dev.switchboard.gptj;

/** The requested {@link Device} cannot be used on this machine (no driver, no GPU, backend not built). */
public final class BackendUnavailableException extends GptjException {

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
