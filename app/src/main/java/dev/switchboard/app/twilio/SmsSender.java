package dev.switchboard.app.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import dev.switchboard.app.twilio.TwilioProperties.LongBodyPolicy;
import dev.switchboard.app.twilio.TwilioSends.Send;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunContext;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends an sms node's message through the Twilio REST API (SDK {@code Message.creator}), from the
 * app's number with its credentials, exactly once per (run, node, part).
 *
 * <p>Retry policy — a message is sent again only when Twilio surely did not accept it:
 * <ul>
 *   <li>retried with backoff (up to {@code send-attempts}, {@code Retry-After} honoured, never past
 *       the node's deadline): connect failures, HTTP 429 and 503 — the request was refused before
 *       Twilio created anything;</li>
 *   <li>never retried, the node fails with Twilio's code: other 4xx REST errors (21211 invalid
 *       number, 21610 unsubscribed — also recorded as an opt-out —, 21614 not a mobile number...);</li>
 *   <li>never retried, recorded {@code unknown}: a timeout or broken connection after the request
 *       was sent, HTTP 500/502/504, a crash mid-call. Twilio may have the message; sending again
 *       could duplicate it. A status callback that arrives later proves it was accepted.</li>
 * </ul>
 * Opted-out recipients are never messaged: the part is recorded {@code opted_out} and skipped.
 */
@Component
class SmsSender {

    private static final Logger log = LoggerFactory.getLogger(SmsSender.class);
    private static final Duration MIN_REQUEST_TIME = Duration.ofMillis(200);

    /**
     * What an sms node asks for.
     *
     * @param to the recipient as rendered
     * @param deadline when the node attempt must end (null: none)
     */
    record SmsRequest(RunContext run, Map<String, Object> trigger, String nodeId, String to, String body,
            LongBodyPolicy longBody, Instant deadline) {
    }

    /** How one part ended. */
    private sealed interface Delivery {
        record Sent(String sid, String status) implements Delivery {
        }

        record Inline() implements Delivery {
        }

        record OptedOut() implements Delivery {
        }

        record Failed(NodeError error) implements Delivery {
        }
    }

    /** What one call to Twilio gave. */
    private sealed interface Outcome {
        record Accepted(String sid, String status) implements Outcome {
        }

        /** Twilio surely did not accept it; {@code retriable}: another attempt may succeed. */
        record Refused(Integer code, Integer httpStatus, String message, boolean retriable, Duration retryAfter)
                implements Outcome {
        }

        /** Twilio may or may not have it. */
        record Ambiguous(Integer httpStatus, String message) implements Outcome {
        }
    }

    private final TwilioAccounts accounts;
    private final TwilioSends sends;
    private final OptOuts optOuts;
    private final InlineReplies inline;
    private final PublicUrls urls;
    private final TwilioProperties properties;
    private final TwilioMetrics metrics;
    private final Clock clock;
    private final HttpClient http;

    SmsSender(TwilioAccounts accounts, TwilioSends sends, OptOuts optOuts, InlineReplies inline, PublicUrls urls,
            TwilioProperties properties, TwilioMetrics metrics, Clock clock) {
        this.accounts = accounts;
        this.sends = sends;
        this.optOuts = optOuts;
        this.inline = inline;
        this.urls = urls;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        this.http = TwilioHttpClient.newJdkClient(properties.connectTimeout());
    }

    /** Sends (or, on a re-run, finishes sending) the node's message; the node's result. */
    NodeResult send(SmsRequest request) throws InterruptedException {
        UUID appId = UUID.fromString(request.run().appId());
        UUID runId = UUID.fromString(request.run().runId());
        Optional<TwilioAccount> found = accounts.find(appId);
        if (found.isEmpty()) {
            return NodeResult.fail("twilio_not_configured",
                    "This app has no Twilio settings; set them with PUT /api/v1/apps/" + appId + "/twilio", false);
        }
        TwilioAccount account = found.get();
        String to = PhoneNumbers.normalize(request.to());
        if (to == null || to.isEmpty()) {
            return NodeResult.fail("invalid_input", "The message has no recipient: 'to' rendered empty (only runs started "
                    + "by an SMS have {{trigger.From}}; set 'to' for others)", false);
        }
        if (request.body() == null || request.body().isBlank()) {
            return NodeResult.fail("invalid_input", "The message body rendered empty; Twilio sends no empty messages", false);
        }
        List<String> bodies = LongBodies.apply(request.body(), request.longBody(), properties.maxParts());
        List<Send> parts = sends.prepare(runId, request.nodeId(), account, to, bodies);
        if (tryInline(request, account, to, parts)) {
            parts = sends.forNode(runId, request.nodeId());
        }
        List<Delivery> done = new ArrayList<>();
        for (Send part : parts) {
            Delivery d = deliver(part, account, request.deadline());
            if (d instanceof Delivery.Failed failed) {
                return NodeResult.fail(failed.error());
            }
            done.add(d);
        }
        return NodeResult.of(outputs(to, done));
    }

    private Delivery deliver(Send send, TwilioAccount account, Instant deadline) throws InterruptedException {
        return switch (send.state()) {
            case ACCEPTED -> new Delivery.Sent(send.messageSid(),
                    send.deliveryStatus() == null ? "accepted" : send.deliveryStatus());
            case INLINE -> new Delivery.Inline();
            case OPTED_OUT -> new Delivery.OptedOut();
            case UNKNOWN -> new Delivery.Failed(unknown(send.errorMessage()));
            case SENDING -> {
                String why = "An earlier attempt stopped while sending this message; Twilio may have it, so it is not sent again";
                sends.unknown(send.id(), null, why);
                metrics.send("unknown");
                yield new Delivery.Failed(unknown(why));
            }
            case PENDING, FAILED -> attempt(send, account, deadline);
        };
    }

    private Delivery attempt(Send send, TwilioAccount account, Instant deadline) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (optOuts.isOptedOut(account.accountSid(), send.from(), send.to())) {
                sends.optedOut(send.id());
                metrics.send("opted_out");
                return reloaded(send, account, deadline);
            }
            Duration timeout = timeLeft(deadline).map(left -> min(left, properties.requestTimeout()))
                    .orElse(properties.requestTimeout());
            if (timeout.compareTo(MIN_REQUEST_TIME) < 0) {
                return new Delivery.Failed(NodeError.retriable("timeout", "No time left to send the message"));
            }
            if (!sends.claim(send.id())) {
                return reloaded(send, account, deadline); // another attempt got there first
            }
            Outcome outcome = call(send, account, timeout);
            switch (outcome) {
                case Outcome.Accepted a -> {
                    if (!sends.accepted(send.id(), a.sid(), a.status())) {
                        log.info("Message {} of run {} was settled by a status callback first", send.id(), send.runId());
                    }
                    metrics.send("accepted");
                    return new Delivery.Sent(a.sid(), a.status());
                }
                case Outcome.Ambiguous a -> {
                    // a node timeout or cancellation interrupts the call: record the outcome first, with the
                    // interrupt cleared (socket I/O on an interrupted virtual thread would close the connection)
                    boolean interrupted = Thread.interrupted();
                    sends.unknown(send.id(), null, a.message());
                    metrics.send("unknown");
                    if (interrupted) {
                        throw new InterruptedException("cancelled while sending an SMS");
                    }
                    return new Delivery.Failed(unknown(a.message()));
                }
                case Outcome.Refused r -> {
                    sends.failed(send.id(), r.code(), r.message());
                    if (r.code() != null && r.code() == 21610) {
                        optOuts.optOut(account.accountSid(), send.from(), send.to(), "TWILIO-21610", clock.instant());
                    }
                    Duration wait = backoff(attempt, r.retryAfter());
                    boolean timeForAnother = timeLeft(deadline).map(left -> left.compareTo(wait.plus(MIN_REQUEST_TIME)) > 0)
                            .orElse(true);
                    if (r.retriable() && attempt < properties.sendAttempts() && timeForAnother) {
                        Thread.sleep(wait);
                        continue;
                    }
                    metrics.send("failed");
                    return new Delivery.Failed(refused(r));
                }
            }
        }
    }

    /** After a guarded update found the part changed by someone else: go on from its state now. */
    private Delivery reloaded(Send send, TwilioAccount account, Instant deadline) throws InterruptedException {
        Send now = sends.find(send.id()).orElseThrow();
        if (now.state() == SendState.PENDING || now.state() == SendState.FAILED) {
            return new Delivery.Failed(NodeError.retriable("conflict", "Another attempt is sending this message"));
        }
        return deliver(now, account, deadline);
    }

    private Outcome call(Send send, TwilioAccount account, Duration timeout) {
        TwilioRestClient client = new TwilioRestClient.Builder(account.accountSid(), account.authToken())
                .httpClient(new TwilioHttpClient(http, properties.apiBaseUrl(), timeout))
                .build();
        MessageCreator creator = Message.creator(new PhoneNumber(send.to()), new PhoneNumber(send.from()), send.body());
        statusCallback(account, send.id()).ifPresent(creator::setStatusCallback);
        try {
            Message message = creator.create(client);
            return new Outcome.Accepted(message.getSid(), message.getStatus() == null ? null : message.getStatus().toString());
        } catch (TwilioTransportException e) {
            return e.surelyNotSent() ? new Outcome.Refused(null, null, e.getMessage(), true, null)
                    : new Outcome.Ambiguous(null, e.getMessage());
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status == null) {
                return new Outcome.Ambiguous(null, "Twilio's answer could not be read: " + e.getMessage());
            }
            if (status == 429 || status == 503) {
                return new Outcome.Refused(e.getCode(), status, e.getMessage(), true, retryAfter(e.getDetails()));
            }
            if (status >= 500) {
                return new Outcome.Ambiguous(status, "HTTP " + status + " from Twilio: " + e.getMessage());
            }
            return new Outcome.Refused(e.getCode(), status, e.getMessage(), false, null);
        } catch (RuntimeException e) {
            return new Outcome.Ambiguous(null, "The Twilio SDK failed: " + e);
        }
    }

    /**
     * Replies inline when a webhook still waits for this run (see {@link InlineReplies}): only a
     * reply to the sender, from a run the webhook started, with nothing sent yet.
     *
     * @return whether any part was handed over
     */
    private boolean tryInline(SmsRequest request, TwilioAccount account, String to, List<Send> parts) {
        if (!"twilio".equals(request.run().source())
                || !to.equals(PhoneNumbers.normalize(String.valueOf(request.trigger().get("From"))))
                || !parts.stream().allMatch(p -> p.state() == SendState.PENDING)
                || optOuts.isOptedOut(account.accountSid(), account.phoneNumber(), to)) {
            return false;
        }
        Optional<InlineReplies.Taken> taken = inline.take(UUID.fromString(request.run().runId()));
        if (taken.isEmpty()) {
            return false;
        }
        List<Twiml.Reply> replies = new ArrayList<>();
        try {
            for (Send part : parts) {
                if (!sends.inline(part.id())) {
                    break;
                }
                replies.add(new Twiml.Reply(part.body(), statusCallback(account, part.id()).orElse(null)));
                metrics.send("inline");
            }
        } finally {
            taken.get().complete(replies);
        }
        return true;
    }

    /** {@code <base>/twilio/status/<app>?send=<id>} where Twilio reaches us, if we know where that is. */
    Optional<String> statusCallback(TwilioAccount account, UUID sendId) {
        if (!properties.statusCallbacks()) {
            return Optional.empty();
        }
        String base = urls.configuredBase().orElse(account.webhookBaseUrl());
        if (base == null) {
            return Optional.empty();
        }
        return Optional.of(base + TwilioWebhookController.STATUS_PATH + account.appId() + "?send=" + sendId);
    }

    private static Map<String, Object> outputs(String to, List<Delivery> done) {
        List<String> sids = new ArrayList<>();
        String status = null;
        for (Delivery d : done) {
            String partStatus = switch (d) {
                case Delivery.Sent s -> {
                    sids.add(s.sid());
                    yield s.status() == null ? "accepted" : s.status();
                }
                case Delivery.Inline i -> "inline";
                case Delivery.OptedOut o -> "opted_out";
                case Delivery.Failed f -> "failed";
            };
            status = status == null ? partStatus : status;
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("sid", sids.isEmpty() ? null : sids.getFirst());
        outputs.put("status", status);
        outputs.put("to", to);
        outputs.put("parts", done.size());
        outputs.put("sids", sids);
        return outputs;
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        Duration wait = properties.sendBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return min(wait, properties.sendMaxBackoff());
    }

    private Optional<Duration> timeLeft(Instant deadline) {
        return deadline == null ? Optional.empty() : Optional.of(Duration.between(clock.instant(), deadline));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration retryAfter(Map<String, Object> details) {
        Object value = details == null ? null : details.get("retryAfter");
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.toString().strip());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: use our own backoff
        }
    }

    private static NodeError unknown(String why) {
        return NodeError.permanent("twilio_outcome_unknown", "Twilio may or may not have accepted the message ("
                + (why == null ? "unknown" : why) + "); it is not sent again so it cannot arrive twice");
    }

    private static NodeError refused(Outcome.Refused r) {
        if (r.code() == null && r.httpStatus() == null) {
            return NodeError.retriable("twilio_unreachable", r.message());
        }
        String text = "Twilio error " + (r.code() == null ? "" : r.code() + " ") + "(HTTP " + r.httpStatus() + "): "
                + r.message();
        return new NodeError("twilio_error", text, r.retriable());
    }
}
