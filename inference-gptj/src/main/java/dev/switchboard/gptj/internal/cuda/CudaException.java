package dev.switchboard.gptj.internal.cuda;

/** A CUDA driver, cuBLAS or kernel call failed; the message names the call and the error code. */
public class CudaException extends RuntimeException {
    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
