package dev.switchboard.app.twilio;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.RunTarget;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.runs.RunService;
import dev.switchboard.app.runs.RunSource;
import dev.switchboard.app.runs.RunStart;
import dev.switchboard.app.runs.RunViews.RunAccepted;
import dev.switchboard.engine.InputField;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts a verified inbound SMS exactly once. In one transaction: the message's row keyed by
 * (app, MessageSid) — a retried delivery finds it and gets the first answer again, starting
 * nothing — with either the keyword's effect (opt-out, opt-in, help) or a queued run of the app's
 * published version through {@link RunService#runAsync}, which schedules it only after this
 * transaction commits. Nothing is acknowledged before the commit.
 */
@Component
class InboundMessages {

    /**
     * @param ack the TwiML to answer with
     * @param runId the run it started (or started the first time), null for keywords
     * @param duplicate whether this MessageSid had been received before
     */
    record Accepted(String ack, UUID runId, Optional<Keyword> keyword, boolean duplicate) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RunService runs;
    private final RunTargets targets;
    private final OptOuts optOuts;
    private final TwilioProperties properties;
    private final InlineReplies inline;
    private final Clock clock;

    InboundMessages(JdbcClient jdbc, TransactionTemplate tx, RunService runs, RunTargets targets, OptOuts optOuts,
            TwilioProperties properties, InlineReplies inline, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.runs = runs;
        this.targets = targets;
        this.optOuts = optOuts;
        this.properties = properties;
        this.inline = inline;
        this.clock = clock;
    }

    /**
     * @param params every webhook parameter, verified (signature, account) and with MessageSid, From and To present
     * @param openInlineSlot whether the caller will wait for an inline reply (see {@link InlineReplies})
     * @throws dev.switchboard.app.web.ApiException 404 when the app has no published version, 422 when
     *     the input node requires a field the message cannot fill; nothing is stored then
     */
    Accepted accept(TwilioAccount account, Map<String, String> params, boolean openInlineSlot) {
        UUID[] slot = new UUID[1];
        try {
            return tx.execute(status -> accept(account, params, openInlineSlot, slot, status));
        } catch (RuntimeException e) {
            if (slot[0] != null) {
                inline.discard(slot[0]);
            }
            throw e;
        }
    }

    private Accepted accept(TwilioAccount account, Map<String, String> params, boolean openInlineSlot, UUID[] slot,
            TransactionStatus tx) {
        String messageSid = params.get("MessageSid");
        Optional<Keyword> keyword = Keyword.of(params.get("Body"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (keyword.isPresent()) {
            String ack = answer(keyword.get(), account);
            if (!record(account, params, keyword, null, ack, now)) {
                return stored(account, messageSid, keyword);
            }
            String from = params.get("From");
            String to = params.get("To");
            switch (keyword.get()) {
                case OPT_OUT -> optOuts.optOut(account.accountSid(), to, from,
                        params.get("Body").strip().toUpperCase(Locale.ROOT), now);
                case OPT_IN -> optOuts.optIn(account.accountSid(), to, from);
                case HELP -> {
                    // answered by the TwiML alone
                }
            }
            return new Accepted(ack, null, keyword, false);
        }
        // the run first, then the message row that names it: one statement fewer on the hot path. A
        // retried delivery queues a run too, finds the message recorded, and rolls both back.
        UUID runId = startRun(account, params);
        if (!record(account, params, keyword, runId, Twiml.EMPTY, now)) {
            tx.setRollbackOnly();
            return stored(account, messageSid, keyword);
        }
        if (openInlineSlot) {
            inline.open(runId); // before the commit that lets the run start
            slot[0] = runId;
        }
        return new Accepted(Twiml.EMPTY, runId, keyword, false);
    }

    /** Records the message; false when its MessageSid was recorded before (waits for a concurrent first delivery). */
    private boolean record(TwilioAccount account, Map<String, String> params, Optional<Keyword> keyword, UUID runId,
            String ack, Instant now) {
        return jdbc.sql("""
                        INSERT INTO twilio_inbound (app_id, message_sid, kind, run_id, from_number, to_number, ack, received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (app_id, message_sid) DO NOTHING""")
                .params(account.appId(), params.get("MessageSid"), keyword.map(Keyword::wire).orElse("run"), runId,
                        params.get("From"), params.get("To"), ack, now.atOffset(ZoneOffset.UTC))
                .update() == 1;
    }

    private Accepted stored(TwilioAccount account, String messageSid, Optional<Keyword> keyword) {
        return jdbc.sql("SELECT ack, run_id FROM twilio_inbound WHERE app_id = ? AND message_sid = ?")
                .param(account.appId()).param(messageSid)
                .query((rs, n) -> new Accepted(rs.getString(1), rs.getObject(2, UUID.class), keyword, true))
                .single();
    }

    /** Replaces the stored answer (an inline reply), so a retried delivery gets the reply too. */
    void replaceAck(UUID appId, String messageSid, String ack) {
        jdbc.sql("UPDATE twilio_inbound SET ack = ? WHERE app_id = ? AND message_sid = ?")
                .params(ack, appId, messageSid).update();
    }

    private UUID startRun(TwilioAccount account, Map<String, String> params) {
        RunTarget target = targets.resolve(account.workspaceId(), account.appId(), VersionSelector.LATEST, false);
        Map<String, Object> trigger = new LinkedHashMap<>(params);
        RunStart start = new RunStart(account.workspaceId(), account.appId(), VersionSelector.LATEST, false,
                inputs(target.graph().inputFields(), params), trigger, RunSource.TWILIO, null);
        RunAccepted accepted = runs.runAsync(start);
        return accepted.id();
    }

    /**
     * Input fields are filled from the webhook parameter of the same name (exactly, else ignoring
     * case): an input field {@code Body} (or {@code body}) gets the message text. Fields without a
     * parameter are left to their defaults.
     */
    static Map<String, Object> inputs(List<InputField> fields, Map<String, String> params) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (InputField field : fields) {
            String value = params.get(field.name());
            if (value == null) {
                for (Map.Entry<String, String> p : params.entrySet()) {
                    if (p.getKey().equalsIgnoreCase(field.name())) {
                        value = p.getValue();
                        break;
                    }
                }
            }
            if (value != null) {
                inputs.put(field.name(), value);
            }
        }
        return inputs;
    }

    private String answer(Keyword keyword, TwilioAccount account) {
        return switch (keyword) {
            case OPT_OUT -> Twiml.message(properties.optOutReply());
            case OPT_IN -> Twiml.message(properties.optInReply());
            case HELP -> Twiml.message(account.helpText() != null ? account.helpText() : properties.helpText());
        };
    }
}
