package dev.switchboard.app.twilio;

/**
 * The Twilio API could not be asked or did not answer; {@link #surelyNotSent()} says whether the
 * request can have reached Twilio. Thrown by {@link TwilioHttpClient} through the SDK.
 */
final class TwilioTransportException extends RuntimeException {

    private final boolean surelyNotSent;

    TwilioTransportException(String message, boolean surelyNotSent, Throwable cause) {
        super(message, cause);
        this.surelyNotSent = surelyNotSent;
    }

    /** True for failures before the request left (connect refused or timed out): a retry cannot duplicate. */
    boolean surelyNotSent() {
        return surelyNotSent;
    }
}
