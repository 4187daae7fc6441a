package dev.switchboard.app.secrets;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A database column holding {@link SecretBox}-sealed values, declared (as a bean) by the feature
 * that owns it, so that {@link SecretRotation} can re-seal it under a new master key.
 *
 * @param table the table (a constant of the owning code, never user input)
 * @param column the column with the sealed values
 * @param keyColumns columns that identify a row
 * @param context the sealing context of a row, from its key columns (as {@code SELECT} returns them)
 */
public record SealedColumn(String table, String column, List<String> keyColumns,
        Function<Map<String, Object>, String> context) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    public SealedColumn {
        Objects.requireNonNull(context, "context");
        keyColumns = List.copyOf(keyColumns);
        for (String name : concat(table, column, keyColumns)) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("table and column names must be plain SQL names, was '" + name + "'");
            }
        }
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("keyColumns must name at least one column");
        }
    }

    private static List<String> concat(String table, String column, List<String> keys) {
        List<String> all = new java.util.ArrayList<>(keys);
        all.add(table);
        all.add(column);
        return all;
    }
}
