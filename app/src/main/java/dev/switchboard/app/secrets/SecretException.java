package dev.switchboard.app.secrets;

/** A sealed secret could not be opened. Messages never contain secret material. */
public final class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }
}
