package dev.switchboard.gptj.internal.cuda;

/**
 * No usable CUDA driver or GPU on this machine. The message is meant for the user of the CLI
 * ("--device cuda" on a machine without a GPU) and says what was looked for.
 */
public final class CudaUnavailableException extends CudaException {
    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
