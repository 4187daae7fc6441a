package dev.switchboard.app.twilio;

import static dev.switchboard.app.support.PropertyChecks.notNegative;
import static dev.switchboard.app.support.PropertyChecks.positive;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Twilio settings of the whole process ({@code switchboard.twilio.*}); the per-app account, token
 * and number are set through {@code PUT /api/v1/apps/{id}/twilio}.
 *
 * @param apiBaseUrl where the Twilio REST API is: {@code https://api.twilio.com}, or a fake/proxy
 *     (requests the SDK makes to {@code https://api.twilio.com} go here instead)
 * @param helpText answer to HELP/INFO for apps that set none; blank: no answer
 * @param optOutReply answer to STOP and the other opt-out keywords; blank (default): none, because
 *     Twilio's own opt-out handling already confirms (and blocks replies to opted-out numbers)
 * @param optInReply answer to START/YES/UNSTOP; blank (default): none (Twilio confirms itself)
 * @param inlineReplyBudget when &gt; 0, an SMS webhook waits this long for its run: a reply the
 *     run's {@code sms} node makes to the sender within the budget goes back inline as TwiML
 *     {@code <Message>} instead of through the REST API. 0 (default): ack at once, always REST.
 *     An app's {@code inlineReplyMs} setting overrides it
 * @param longBody what an {@code sms} node does with a body over 1,600 characters
 * @param maxParts with {@code split}: at most this many messages; text beyond them is truncated
 * @param sendAttempts attempts per message when Twilio surely did not accept it (connect failure,
 *     429, 503); ambiguous failures are never retried
 * @param sendBackoff first wait between attempts (doubled each time, Retry-After honoured)
 * @param sendMaxBackoff longest wait between attempts
 * @param connectTimeout connecting to the Twilio API
 * @param requestTimeout one request to the Twilio API, from sending it to the answer
 * @param settingsCacheTtl how long a process keeps an app's Twilio settings in memory; changes
 *     made through this process apply at once, through another replica after this
 * @param statusCallbacks whether outbound messages ask Twilio for status callbacks
 */
@ConfigurationProperties("switchboard.twilio")
public record TwilioProperties(
        @DefaultValue("https://api.twilio.com") URI apiBaseUrl,
        @DefaultValue("Reply STOP to unsubscribe or START to resubscribe. Msg & data rates may apply.") String helpText,
        String optOutReply,
        String optInReply,
        @DefaultValue("0s") Duration inlineReplyBudget,
        @DefaultValue("split") LongBodyPolicy longBody,
        @DefaultValue("3") int maxParts,
        @DefaultValue("4") int sendAttempts,
        @DefaultValue("1s") Duration sendBackoff,
        @DefaultValue("30s") Duration sendMaxBackoff,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout,
        @DefaultValue("5s") Duration settingsCacheTtl,
        @DefaultValue("true") boolean statusCallbacks) {

    /** Twilio refuses message bodies longer than this (error 21617). */
    public static final int MAX_BODY = 1600;

    /** What happens to a body over {@link #MAX_BODY} characters. */
    public enum LongBodyPolicy {
        /** Several messages of at most 1,600 characters, cut at whitespace, at most {@code max-parts}. */
        SPLIT,
        /** One message: the first 1,599 characters and an ellipsis. */
        TRUNCATE
    }

    public TwilioProperties {
        if (apiBaseUrl == null || apiBaseUrl.getScheme() == null || apiBaseUrl.getHost() == null
                || !(apiBaseUrl.getScheme().equals("https") || apiBaseUrl.getScheme().equals("http"))) {
            throw new IllegalArgumentException("switchboard.twilio.api-base-url must be an http(s) URL, was " + apiBaseUrl);
        }
        helpText = blankToNull(helpText);
        optOutReply = blankToNull(optOutReply);
        optInReply = blankToNull(optInReply);
        notNegative(inlineReplyBudget, "switchboard.twilio.inline-reply-budget");
        if (longBody == null) {
            longBody = LongBodyPolicy.SPLIT;
        }
        if (maxParts < 1 || maxParts > 10) {
            throw new IllegalArgumentException("switchboard.twilio.max-parts must be between 1 and 10, was " + maxParts);
        }
        if (sendAttempts < 1 || sendAttempts > 10) {
            throw new IllegalArgumentException("switchboard.twilio.send-attempts must be between 1 and 10, was " + sendAttempts);
        }
        positive(sendBackoff, "switchboard.twilio.send-backoff");
        positive(sendMaxBackoff, "switchboard.twilio.send-max-backoff");
        positive(connectTimeout, "switchboard.twilio.connect-timeout");
        positive(requestTimeout, "switchboard.twilio.request-timeout");
        notNegative(settingsCacheTtl, "switchboard.twilio.settings-cache-ttl");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
