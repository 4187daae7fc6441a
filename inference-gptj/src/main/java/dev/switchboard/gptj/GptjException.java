package dev.switchboard.gptj;

/**
 * Base of every error the engine reports on purpose. Messages are written for the person who
 * supplied the input: they name the file, tensor, field or limit at fault.
 */
public sealed class GptjException extends RuntimeException
        permits ModelLoadException, InvalidRequestException, BackendUnavailableException {

    GptjException(String message) {
        super(message);
    }

    GptjException(String message, Throwable cause) {
        super(message, cause);
    }
}
