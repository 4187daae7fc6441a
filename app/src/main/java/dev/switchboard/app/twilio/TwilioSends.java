package dev.switchboard.app.twilio;

import dev.switchboard.app.support.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code twilio_sends} (one row per outbound message, the idempotency record) and
 * {@code twilio_delivery_events} (status callbacks). Every state change is a guarded UPDATE
 * ({@link SendState#predecessorNames}), so two attempts racing for one message cannot both claim
 * it. Each statement commits on its own: the claim must be durable before Twilio is called.
 */
@Component
class TwilioSends {

    private static final String COLUMNS = """
            id, run_id, node_id, part, parts, app_id, account_sid, from_number, to_number, body, state, attempts,
            message_sid, delivery_status, error_code, error_message, created_at, updated_at""";

    /** One outbound message as recorded. */
    record Send(UUID id, UUID runId, String nodeId, int part, int parts, UUID appId, String accountSid, String from,
            String to, String body, SendState state, int attempts, String messageSid, String deliveryStatus,
            Integer errorCode, String errorMessage, Instant createdAt, Instant updatedAt) {
    }

    /** A status callback as recorded. */
    record Event(UUID sendId, String status, Integer errorCode, Instant receivedAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Ids ids;
    private final Clock clock;

    TwilioSends(JdbcClient jdbc, TransactionTemplate tx, Ids ids, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * The messages of one sms node in one run: recorded now ({@code pending}) unless an earlier
     * attempt of the node recorded them already — then those rows, as they are, win (a re-run
     * sends what was decided the first time, never more parts).
     */
    List<Send> prepare(UUID runId, String nodeId, TwilioAccount account, String to, List<String> bodies) {
        List<Send> existing = forNode(runId, nodeId);
        if (!existing.isEmpty()) {
            return existing;
        }
        tx.executeWithoutResult(status -> {
            OffsetDateTime now = now();
            for (int i = 0; i < bodies.size(); i++) {
                jdbc.sql("""
                                INSERT INTO twilio_sends (id, run_id, node_id, part, parts, app_id, account_sid, from_number,
                                                          to_number, body, state, created_at, updated_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                                ON CONFLICT (run_id, node_id, part) DO NOTHING""")
                        .params(ids.next(), runId, nodeId, i + 1, bodies.size(), account.appId(), account.accountSid(),
                                account.phoneNumber(), to, bodies.get(i), now, now)
                        .update();
            }
        });
        return forNode(runId, nodeId);
    }

    List<Send> forNode(UUID runId, String nodeId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM twilio_sends WHERE run_id = ? AND node_id = ? ORDER BY part")
                .param(runId).param(nodeId).query((rs, n) -> send(rs)).list();
    }

    List<Send> forRun(UUID runId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM twilio_sends WHERE run_id = ? ORDER BY created_at, node_id, part")
                .param(runId).query((rs, n) -> send(rs)).list();
    }

    Optional<Send> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM twilio_sends WHERE id = ?").param(id)
                .query((rs, n) -> send(rs)).optional();
    }

    Optional<Send> findBySid(UUID appId, String messageSid) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM twilio_sends WHERE app_id = ? AND message_sid = ?")
                .param(appId).param(messageSid).query((rs, n) -> send(rs)).optional();
    }

    List<Event> events(List<UUID> sendIds) {
        if (sendIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT send_id, status, error_code, received_at FROM twilio_delivery_events
                        WHERE send_id = ANY (?) ORDER BY received_at, status""")
                .param(sendIds.toArray(UUID[]::new))
                .query((rs, n) -> new Event(rs.getObject(1, UUID.class), rs.getString(2), (Integer) rs.getObject(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** pending/failed → sending, counting the attempt; false when another attempt got there first. */
    boolean claim(UUID id) {
        return jdbc.sql("""
                        UPDATE twilio_sends SET state = 'sending', attempts = attempts + 1, updated_at = ?
                        WHERE id = ? AND state = ANY (?)""")
                .params(now(), id, SendState.predecessorNames(SendState.SENDING)).update() == 1;
    }

    /** → accepted with Twilio's sid and status. */
    boolean accepted(UUID id, String messageSid, String status) {
        return jdbc.sql("""
                        UPDATE twilio_sends SET state = 'accepted', message_sid = ?,
                               delivery_status = COALESCE(delivery_status, ?), error_code = NULL, error_message = NULL,
                               updated_at = ?
                        WHERE id = ? AND state = ANY (?)""")
                .params(messageSid, status, now(), id, SendState.predecessorNames(SendState.ACCEPTED)).update() == 1;
    }

    /** → failed (Twilio surely did not accept it), with Twilio's error code when it gave one. */
    boolean failed(UUID id, Integer errorCode, String message) {
        return moveWithError(id, SendState.FAILED, errorCode, message);
    }

    /** → unknown (Twilio may have it): never sent again. */
    boolean unknown(UUID id, Integer errorCode, String message) {
        return moveWithError(id, SendState.UNKNOWN, errorCode, message);
    }

    boolean optedOut(UUID id) {
        return move(id, SendState.OPTED_OUT);
    }

    boolean inline(UUID id) {
        return move(id, SendState.INLINE);
    }

    private boolean move(UUID id, SendState target) {
        return jdbc.sql("UPDATE twilio_sends SET state = ?, updated_at = ? WHERE id = ? AND state = ANY (?)")
                .params(target.wire(), now(), id, SendState.predecessorNames(target)).update() == 1;
    }

    private boolean moveWithError(UUID id, SendState target, Integer errorCode, String message) {
        return jdbc.sql("""
                        UPDATE twilio_sends SET state = ?, error_code = ?, error_message = ?, updated_at = ?
                        WHERE id = ? AND state = ANY (?)""")
                .params(target.wire(), errorCode, truncate(message), now(), id, SendState.predecessorNames(target))
                .update() == 1;
    }

    /**
     * Records a status callback: the event (once per status), the sid if the send did not know it
     * yet (an {@code unknown} send is thereby proven {@code accepted}), and the latest status unless
     * a later one already arrived.
     */
    void recordStatus(Send send, String messageSid, String status, Integer errorCode) {
        tx.executeWithoutResult(s -> {
            OffsetDateTime now = now();
            jdbc.sql("""
                            INSERT INTO twilio_delivery_events (send_id, status, error_code, received_at) VALUES (?, ?, ?, ?)
                            ON CONFLICT (send_id, status) DO NOTHING""")
                    .params(send.id(), status, errorCode, now).update();
            Send current = jdbc.sql("SELECT " + COLUMNS + " FROM twilio_sends WHERE id = ? FOR UPDATE").param(send.id())
                    .query((rs, n) -> send(rs)).single();
            String latest = DeliveryStatus.advances(current.deliveryStatus(), status) ? status : current.deliveryStatus();
            Integer code = errorCode != null && latest.equals(status) ? errorCode : current.errorCode();
            SendState state = current.state() == SendState.UNKNOWN || current.state() == SendState.SENDING
                    ? SendState.ACCEPTED : current.state();
            jdbc.sql("""
                            UPDATE twilio_sends SET delivery_status = ?, error_code = ?, state = ?,
                                   message_sid = COALESCE(message_sid, ?), updated_at = ?
                            WHERE id = ?""")
                    .params(latest, code, state.wire(), messageSid, now, send.id()).update();
        });
    }

    private Send send(ResultSet rs) throws SQLException {
        return new Send(rs.getObject("id", UUID.class), rs.getObject("run_id", UUID.class), rs.getString("node_id"),
                rs.getInt("part"), rs.getInt("parts"), rs.getObject("app_id", UUID.class), rs.getString("account_sid"),
                rs.getString("from_number"), rs.getString("to_number"), rs.getString("body"),
                SendState.fromWire(rs.getString("state")), rs.getInt("attempts"), rs.getString("message_sid"),
                rs.getString("delivery_status"), (Integer) rs.getObject("error_code"), rs.getString("error_message"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private OffsetDateTime now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 1000 ? message : message.substring(0, 997) + "...";
    }
}
