package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.runs.RunViews.RunView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PublicResultTest {

    private static RunView run(String status, Map<String, Object> outputs, Map<String, Object> error) {
        return new RunView(UUID.randomUUID(), UUID.randomUUID(), 1, 0, status, "share", "sync", Map.of("text", "secret input"),
                null, outputs, error, null, Instant.now(), Instant.now(), Instant.now(), 1.0, List.of());
    }

    @Test
    void aSucceededRunShowsItsOutputsInDeclaredOrder() {
        PublicResult r = PublicResult.of(run("succeeded", Map.of("b", 2, "a", 1, "extra", 3), null), List.of("a", "b"));

        assertThat(r.outputs().keySet()).containsExactly("a", "b", "extra");
        assertThat(r.message()).isNull();
    }

    @Test
    void aBlockedRunShowsThePolicysMessageAndNothingElse() {
        PublicResult r = PublicResult.of(run("blocked", Map.of("partial", "x"),
                Map.of("nodeId", "pii", "type", "blocked", "message", "Please don't share card numbers.")), List.of());

        assertThat(r.message()).isEqualTo("Please don't share card numbers.");
        assertThat(r.outputs()).isEmpty();
    }

    @Test
    void aFailedRunNeverShowsTheProvidersError() {
        PublicResult r = PublicResult.of(run("failed", null,
                Map.of("nodeId", "ai", "message", "provider fake returned 401: invalid api key sk-live-123")), List.of());

        assertThat(r.message()).isEqualTo(PublicResult.FAILED).doesNotContain("sk-live");
        assertThat(r.toString()).doesNotContain("secret input");
    }
}
