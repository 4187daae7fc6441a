package dev.switchboard.gptj;

/** A model directory that cannot be served: missing or corrupt files, a tensor of the wrong shape or dtype. */
public final class ModelLoadException extends GptjException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
