package dev.switchboard.app.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.web.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunCursorTest {

    @Test
    void aCursorRoundTripsToTheMicrosecond() {
        RunQueries.Cursor cursor = new RunQueries.Cursor(Instant.parse("2026-11-27T08:01:23.348298Z"), UUID.randomUUID());
        assertThat(RunQueries.Cursor.decode(cursor.encode())).isEqualTo(cursor);
        RunQueries.Cursor beforeEpoch = new RunQueries.Cursor(Instant.parse("1969-12-31T23:59:59.000001Z"), UUID.randomUUID());
        assertThat(RunQueries.Cursor.decode(beforeEpoch.encode())).isEqualTo(beforeEpoch);
    }

    @Test
    void aForgedCursorIsABadRequest() {
        for (String forged : new String[] {"!!", "bm90LWEtY3Vyc29y", "MTIzOm5vdC1hLXV1aWQ"}) {
            assertThatThrownBy(() -> RunQueries.Cursor.decode(forged))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(400));
        }
    }
}
