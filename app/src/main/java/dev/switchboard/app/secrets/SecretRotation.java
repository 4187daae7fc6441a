package dev.switchboard.app.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Master-key rotation, second half: values sealed under a previous key are re-sealed under the
 * current one. Runs at start whenever {@code switchboard.secrets.previous-keys} is set, over every
 * {@link SealedColumn} the features declare. Each row is updated only if it still holds the value
 * read (so replicas starting together, or a user changing the secret meanwhile, are safe), and a
 * value that no configured key opens is reported and left alone. Once the log says nothing is
 * left, the previous key can be removed from the configuration.
 */
@Component
public class SecretRotation implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SecretRotation.class);

    private final SecretBox box;
    private final JdbcTemplate jdbc;
    private final List<SealedColumn> columns;

    SecretRotation(SecretBox box, JdbcTemplate jdbc, List<SealedColumn> columns) {
        this.box = box;
        this.jdbc = jdbc;
        this.columns = List.copyOf(columns);
    }

    /** What one pass did. */
    public record Result(int resealed, int unreadable) {
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!box.hasPreviousKeys()) {
            return;
        }
        Result result = resealAll();
        log.info("Secrets rotation: re-sealed {} value(s) under master key {}; {} could not be opened with any "
                + "configured key", result.resealed(), box.currentKeyId(), result.unreadable());
    }

    /** Re-seals every value not sealed under the current key. */
    public Result resealAll() {
        int resealed = 0;
        int unreadable = 0;
        for (SealedColumn c : columns) {
            String keys = String.join(", ", c.keyColumns());
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT " + keys + ", " + c.column() + " AS sealed FROM "
                    + c.table() + " WHERE " + c.column() + " IS NOT NULL");
            String where = c.keyColumns().stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
            for (Map<String, Object> row : rows) {
                String sealed = (String) row.get("sealed");
                if (!box.needsReseal(sealed)) {
                    continue;
                }
                String fresh;
                try {
                    fresh = box.reseal(sealed, c.context().apply(row));
                } catch (SecretException e) {
                    unreadable++;
                    log.warn("Could not re-seal a value in {}.{}: {}", c.table(), c.column(), e.getMessage());
                    continue;
                }
                List<Object> params = new ArrayList<>();
                params.add(fresh);
                c.keyColumns().forEach(k -> params.add(row.get(k)));
                params.add(sealed);
                resealed += jdbc.update("UPDATE " + c.table() + " SET " + c.column() + " = ? WHERE " + where + " AND "
                        + c.column() + " = ?", params.toArray());
            }
        }
        return new Result(resealed, unreadable);
    }
}
