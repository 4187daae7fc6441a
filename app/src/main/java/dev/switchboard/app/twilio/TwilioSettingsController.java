package dev.switchboard.app.twilio;

import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/apps/{appId}/twilio}: an app's Twilio account, token (write-only) and number. */
@RestController
@Tag(name = "Twilio", description = "Per-app Twilio settings: SMS in (webhook) and out (sms nodes)")
class TwilioSettingsController {

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9A-Za-z]{1,62}");
    private static final int MAX_TOKEN = 256;
    private static final int MAX_HELP = TwilioProperties.MAX_BODY;
    /** Twilio gives a webhook 15 s; an inline reply must leave it time to spare. */
    static final int MAX_INLINE_REPLY_MS = 10_000;

    private final TwilioAccounts accounts;
    private final PublicUrls urls;

    TwilioSettingsController(TwilioAccounts accounts, PublicUrls urls) {
        this.accounts = accounts;
        this.urls = urls;
    }

    /**
     * @param authToken write-only; leave it out to keep the stored token
     * @param helpText the answer to HELP/INFO; absent: {@code switchboard.twilio.help-text}
     * @param inlineReplyMs how long a webhook waits for the run's reply to send it inline as TwiML
     *     (0: never, always through the REST API); absent: {@code switchboard.twilio.inline-reply-budget}
     */
    record TwilioSettingsRequest(String accountSid, String authToken, String phoneNumber, String helpText,
            Integer inlineReplyMs) {

        /** Never the token: frameworks log request bodies at debug level. */
        @Override
        public String toString() {
            return "TwilioSettingsRequest[accountSid=" + accountSid + ", authToken=" + SecretBox.mask(authToken)
                    + ", phoneNumber=" + phoneNumber + ", helpText=" + helpText + ", inlineReplyMs=" + inlineReplyMs + "]";
        }
    }

    /**
     * @param authToken masked: at most its last four characters
     * @param webhookUrl what to enter as the number's "A message comes in" webhook (HTTP POST)
     * @param statusCallbackUrl where Twilio reports the status of messages the app sends (set on each message)
     */
    record TwilioSettingsView(UUID appId, String accountSid, String authToken, String phoneNumber, String helpText,
            Integer inlineReplyMs, String webhookUrl, String statusCallbackUrl, Instant createdAt, Instant updatedAt) {
    }

    @PutMapping("/api/v1/apps/{appId}/twilio")
    @Operation(summary = "Set the app's Twilio account SID, auth token and phone number",
            description = "The token is stored encrypted and never returned (only masked). Leave authToken out to keep "
                    + "the stored one. The answer names the webhook URL to configure for the number in Twilio.")
    TwilioSettingsView put(Caller caller, @PathVariable UUID appId, @RequestBody TwilioSettingsRequest request,
            HttpServletRequest http) {
        caller.require(KeyRole.BUILD);
        TwilioAccounts.Change change = validate(request);
        return view(accounts.put(caller.workspaceId(), appId, change), http);
    }

    @GetMapping("/api/v1/apps/{appId}/twilio")
    @Operation(summary = "The app's Twilio settings (token masked); 404 when none are set")
    TwilioSettingsView get(Caller caller, @PathVariable UUID appId, HttpServletRequest http) {
        return accounts.find(caller.workspaceId(), appId).map(a -> view(a, http))
                .orElseThrow(() -> ApiException.notFound("Twilio settings for app", appId));
    }

    @DeleteMapping("/api/v1/apps/{appId}/twilio")
    @Operation(summary = "Remove the app's Twilio settings; its webhook answers 404 afterwards")
    ResponseEntity<Void> delete(Caller caller, @PathVariable UUID appId) {
        caller.require(KeyRole.BUILD);
        if (!accounts.delete(caller.workspaceId(), appId)) {
            throw ApiException.notFound("Twilio settings for app", appId);
        }
        return ResponseEntity.noContent().build();
    }

    private TwilioSettingsView view(TwilioAccount a, HttpServletRequest http) {
        String base = urls.baseOf(http);
        return new TwilioSettingsView(a.appId(), a.accountSid(), SecretBox.mask(a.authToken()), a.phoneNumber(),
                a.helpText(), a.inlineReplyBudget() == null ? null : (int) a.inlineReplyBudget().toMillis(), base + TwilioWebhookController.SMS_PATH + a.appId(),
                base + TwilioWebhookController.STATUS_PATH + a.appId(), a.createdAt(), a.updatedAt());
    }

    static TwilioAccounts.Change validate(TwilioSettingsRequest r) {
        if (r == null) {
            throw ApiException.badRequest("A JSON body {accountSid, authToken, phoneNumber} is required");
        }
        List<FieldProblem> errors = new ArrayList<>();
        String sid = r.accountSid() == null ? null : r.accountSid().strip();
        if (sid == null || sid.isEmpty()) {
            errors.add(new FieldProblem("accountSid", "required", "accountSid is required"));
        } else if (!ACCOUNT_SID.matcher(sid).matches()) {
            errors.add(new FieldProblem("accountSid", "pattern",
                    "accountSid must be a Twilio account SID: 'AC' followed by letters and digits"));
        }
        String token = r.authToken();
        if (token != null) {
            token = token.strip();
            if (token.isEmpty() || token.length() > MAX_TOKEN || token.chars().anyMatch(c -> c <= ' ' || c == 0x7F)) {
                errors.add(new FieldProblem("authToken", "invalid",
                        "authToken must be 1-" + MAX_TOKEN + " characters without spaces or control characters"));
            }
        }
        String phone = PhoneNumbers.normalize(r.phoneNumber());
        if (phone == null || phone.isEmpty()) {
            errors.add(new FieldProblem("phoneNumber", "required", "phoneNumber is required"));
        } else if (!PhoneNumbers.isSender(phone)) {
            errors.add(new FieldProblem("phoneNumber", "pattern",
                    "phoneNumber must be an E.164 number such as +14155550100 (or a short code)"));
        }
        String help = r.helpText() == null || r.helpText().isBlank() ? null : r.helpText().strip();
        if (help != null && help.length() > MAX_HELP) {
            errors.add(new FieldProblem("helpText", "out-of-range", "helpText must be at most " + MAX_HELP + " characters"));
        }
        Integer inline = r.inlineReplyMs();
        if (inline != null && (inline < 0 || inline > MAX_INLINE_REPLY_MS)) {
            errors.add(new FieldProblem("inlineReplyMs", "out-of-range",
                    "inlineReplyMs must be between 0 and " + MAX_INLINE_REPLY_MS + " (Twilio waits 15 s for an answer)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalidFields("The Twilio settings are invalid", errors);
        }
        return new TwilioAccounts.Change(sid, token, phone, help, inline);
    }
}
