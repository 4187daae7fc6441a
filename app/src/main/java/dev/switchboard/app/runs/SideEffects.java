package dev.switchboard.app.runs;

import dev.switchboard.app.workflow.EngineService;
import dev.switchboard.engine.NodeContext;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs a side effect of a node (send an SMS, call a webhook, charge a card) at most once per
 * (run, node, key) across retries, crashes and resumes: the effect's result is recorded in
 * {@code run_side_effects}, and a later attempt gets the recorded result back instead of acting
 * again. Node executors get it with {@code ctx.service(SideEffects.class)}.
 *
 * <pre>{@code
 * Map<String, Object> sent = ctx.service(SideEffects.class).once(ctx, "sms:" + to, attempt ->
 *         Map.of("sid", twilio.send(to, body, attempt.idempotencyKey()).sid()));
 * }</pre>
 *
 * <p>Guarantee: a completed effect is never repeated. If the process dies <em>during</em> the
 * effect (after it began, before its result was recorded), the next attempt runs it again with
 * {@link Attempt#retry()} true and the same {@link Attempt#idempotencyKey()}: pass that key to
 * receivers that deduplicate (an {@code Idempotency-Key} header), or, where the receiver cannot,
 * check for the earlier effect first (e.g. look the message up) — that window is the one place
 * "exactly once" depends on the receiver. Two statements per effect (begin, done). Thread-safe.
 */
public final class SideEffects {

    /** One attempt at an effect. */
    public record Attempt(String idempotencyKey, int number, boolean retry) {
    }

    /** The effect: performs it and returns its result (plain JSON values), recorded for later attempts. */
    @FunctionalInterface
    public interface Effect {
        Map<String, Object> perform(Attempt attempt) throws Exception;
    }

    private static final String BEGIN = """
            INSERT INTO run_side_effects (run_id, node_id, effect_key, status, attempts, started_at)
            VALUES (?, ?, ?, 'started', 1, now())
            ON CONFLICT (run_id, node_id, effect_key) DO UPDATE
                SET attempts = run_side_effects.attempts + CASE WHEN run_side_effects.status = 'done' THEN 0 ELSE 1 END
            RETURNING status, attempts, result::text""";

    private final JdbcTemplate jdbc;
    private final RunStore store;

    SideEffects(JdbcTemplate jdbc, RunStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /**
     * Performs {@code effect} unless it already completed for this run, node and {@code key}; returns
     * its result either way.
     *
     * @param key distinguishes several effects of one node (e.g. one per recipient); any string
     * @throws Exception what the effect throws (nothing is recorded as done; the next attempt retries
     *     with the same idempotency key)
     */
    public Map<String, Object> once(NodeContext ctx, String key, Effect effect) throws Exception {
        return once(UUID.fromString(ctx.run().runId()), ctx.nodeId(), key, effect);
    }

    public Map<String, Object> once(UUID runId, String nodeId, String key, Effect effect) throws Exception {
        Objects.requireNonNull(key, "key");
        record Begun(String status, int attempts, String result) {
        }
        Begun begun = jdbc.queryForObject(BEGIN, (rs, n) -> new Begun(rs.getString(1), rs.getInt(2), rs.getString(3)),
                runId, nodeId, key);
        if ("done".equals(begun.status())) {
            Map<String, Object> result = store.map(begun.result());
            return result == null ? Map.of() : result;
        }
        Attempt attempt = new Attempt(runId + ":" + nodeId + ":" + key, begun.attempts(), begun.attempts() > 1);
        Map<String, Object> result = effect.perform(attempt);
        jdbc.update("""
                UPDATE run_side_effects SET status = 'done', result = ?::jsonb, finished_at = now()
                WHERE run_id = ? AND node_id = ? AND effect_key = ?""",
                store.toJson(result == null ? Map.of() : result), runId, nodeId, key);
        return result == null ? Map.of() : result;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        SideEffects sideEffects(JdbcTemplate jdbc, RunStore store) {
            return new SideEffects(jdbc, store);
        }

        @Bean
        EngineService<SideEffects> sideEffectsService(SideEffects sideEffects) {
            return new EngineService<>(SideEffects.class, sideEffects);
        }
    }
}
