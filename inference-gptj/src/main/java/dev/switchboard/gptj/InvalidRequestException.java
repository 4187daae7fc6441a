package dev.switchboard.gptj;

/** A generation request the loaded model cannot serve: a prompt too long, a token id out of range, bad sampling values. */
public final class InvalidRequestException extends GptjException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
