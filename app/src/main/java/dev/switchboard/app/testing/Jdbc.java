package dev.switchboard.app.testing;

import dev.switchboard.app.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/** Small JDBC helpers of the testing stores. */
final class Jdbc {
    private Jdbc() {
    }

    static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** A keyset-pagination position, opaque to clients: base64url of {@code <epoch micros>:<uuid>}. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                long micros = Long.parseLong(text.substring(0, colon));
                return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L), UUID.fromString(text.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("cursor is not a cursor this API returned");
            }
        }
    }
}
