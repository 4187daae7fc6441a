package dev.switchboard.app.twilio;

import dev.switchboard.app.secrets.SecretBox;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An app's Twilio settings with the auth token opened. Lives in memory only; {@link #toString()}
 * masks the token so it cannot reach a log by accident.
 *
 * @param helpText the app's answer to HELP, or null for the process default
 * @param inlineReplyBudget how long its webhooks wait for an inline reply, or null for the process default
 * @param webhookBaseUrl base URL of the last validly signed webhook (where Twilio reaches us), or null
 */
record TwilioAccount(UUID appId, UUID workspaceId, String accountSid, String authToken, String phoneNumber,
        String helpText, Duration inlineReplyBudget, String webhookBaseUrl, Instant createdAt, Instant updatedAt) {

    TwilioAccount {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(phoneNumber, "phoneNumber");
    }

    /** The record context its sealed token is bound to. */
    static String tokenContext(UUID appId) {
        return "twilio-token:" + appId;
    }

    @Override
    public String toString() {
        return "TwilioAccount[appId=" + appId + ", accountSid=" + accountSid + ", authToken=" + SecretBox.mask(authToken)
                + ", phoneNumber=" + phoneNumber + "]";
    }
}
