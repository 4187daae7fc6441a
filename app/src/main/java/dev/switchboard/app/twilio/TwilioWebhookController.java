package dev.switchboard.app.twilio;

import dev.switchboard.app.runs.RunService;
import dev.switchboard.app.twilio.InboundMessages.Accepted;
import dev.switchboard.app.twilio.WebhookVerifier.Verified;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.engine.RunStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks (public: no API key; Twilio's signature instead, see {@link WebhookVerifier}).
 * <ul>
 *   <li>{@code POST /twilio/sms/{appId}} — an SMS came in: recorded once per MessageSid with the run
 *       it starts, answered at once with empty TwiML ({@code <Response/>}); keywords (STOP, START,
 *       HELP...) are handled here and start no run;</li>
 *   <li>{@code POST /twilio/status/{appId}} — a status callback for a message the app sent.</li>
 * </ul>
 * Both take {@code application/x-www-form-urlencoded} only (else 415).
 */
@RestController
@Tag(name = "Twilio", description = "Per-app Twilio settings: SMS in (webhook) and out (sms nodes)")
class TwilioWebhookController {

    static final String SMS_PATH = "/twilio/sms/";
    static final String STATUS_PATH = "/twilio/status/";

    private static final Logger log = LoggerFactory.getLogger(TwilioWebhookController.class);
    private static final MediaType TWIML = MediaType.parseMediaType(Twiml.CONTENT_TYPE);

    private final WebhookVerifier verifier;
    private final InboundMessages inbound;
    private final TwilioAccounts accounts;
    private final TwilioSends sends;
    private final InlineReplies inline;
    private final RunService runs;
    private final TwilioProperties properties;
    private final TwilioMetrics metrics;

    TwilioWebhookController(WebhookVerifier verifier, InboundMessages inbound, TwilioAccounts accounts,
            TwilioSends sends, InlineReplies inline, RunService runs, TwilioProperties properties, TwilioMetrics metrics) {
        this.verifier = verifier;
        this.inbound = inbound;
        this.accounts = accounts;
        this.sends = sends;
        this.inline = inline;
        this.runs = runs;
        this.properties = properties;
        this.metrics = metrics;
    }

    @PostMapping(path = SMS_PATH + "{appId}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(summary = "Twilio's incoming-message webhook (signed by Twilio)",
            description = "Verifies X-Twilio-Signature, records the message once per MessageSid together with the run it "
                    + "starts (the app's published version, Twilio parameters as {{trigger.*}}), and answers with empty "
                    + "TwiML at once. A retried delivery gets the same answer and starts nothing.")
    ResponseEntity<String> sms(@PathVariable String appId, HttpServletRequest request) throws InterruptedException {
        long started = System.nanoTime();
        Verified webhook = checked("sms", () -> {
            Verified v = verifier.verify(appId, request);
            WebhookVerifier.require(v.params(), "MessageSid", "From", "To", "AccountSid");
            return v;
        });
        TwilioAccount account = webhook.account();
        Duration budget = account.inlineReplyBudget() != null ? account.inlineReplyBudget() : properties.inlineReplyBudget();
        boolean inlineReplies = !budget.isZero();
        accounts.rememberWebhookBase(account, webhook.baseUrl()); // before the run can start: its status callbacks
        Accepted accepted = inbound.accept(account, webhook.params(), inlineReplies);
        String ack = accepted.ack();
        if (inlineReplies && !accepted.duplicate() && accepted.runId() != null) {
            ack = awaitInline(account, webhook.params().get("MessageSid"), accepted.runId(), budget, ack);
        }
        metrics.ack(Duration.ofNanos(System.nanoTime() - started));
        metrics.webhook("sms", accepted.duplicate() ? "duplicate"
                : accepted.keyword().map(Keyword::wire).orElse("run"));
        return ResponseEntity.ok().contentType(TWIML).body(ack);
    }

    @PostMapping(path = STATUS_PATH + "{appId}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(summary = "Twilio's message status callback (signed by Twilio)",
            description = "Records queued → sent → delivered / undelivered / failed for a message an sms node sent; "
                    + "shown in the run's deliveries.")
    ResponseEntity<Void> status(@PathVariable String appId, HttpServletRequest request) {
        // not @RequestParam: asking the servlet for a parameter would make it consume the form body
        String sendId = queryParameter(request.getQueryString(), "send");
        Verified webhook = checked("status", () -> {
            Verified v = verifier.verify(appId, request);
            WebhookVerifier.require(v.params(), "MessageSid", "MessageStatus");
            return v;
        });
        Map<String, String> params = webhook.params();
        UUID appUuid = webhook.account().appId();
        var send = parseUuid(sendId).flatMap(sends::find).filter(s -> s.appId().equals(appUuid))
                .or(() -> sends.findBySid(appUuid, params.get("MessageSid")));
        if (send.isPresent()) {
            sends.recordStatus(send.get(), params.get("MessageSid"), params.get("MessageStatus"), errorCode(params));
            metrics.webhook("status", "recorded");
        } else {
            log.debug("Status callback for a message this app did not send through an sms node: {}", params.get("MessageSid"));
            metrics.webhook("status", "unmatched");
        }
        return ResponseEntity.noContent().build();
    }

    private String awaitInline(TwilioAccount account, String messageSid, UUID runId, Duration budget, String ack)
            throws InterruptedException {
        List<Twiml.Reply> replies = inline.await(runId, budget, () -> {
            String status = runs.get(account.workspaceId(), runId).status();
            RunStatus s = RunStatus.fromWireName(status);
            return s.isFinal() || s == RunStatus.WAITING_REVIEW;
        });
        if (replies.isEmpty()) {
            return ack;
        }
        String reply = Twiml.of(replies);
        inbound.replaceAck(account.appId(), messageSid, reply);
        return reply;
    }

    private <T> T checked(String kind, Supplier<T> check) {
        try {
            return check.get();
        } catch (ApiException e) {
            metrics.webhook(kind, switch (e.status().value()) {
                case 403 -> "forbidden";
                case 404 -> "not_found";
                default -> "bad_request";
            });
            throw e;
        }
    }

    private static Integer errorCode(Map<String, String> params) {
        String code = params.get("ErrorCode");
        if (code == null || code.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(code.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                try {
                    return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
