package dev.switchboard.app.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Queue settings, run timeouts and backpressure: what a user sees of them without a database. */
class QueueSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static QueueProperties queue(int maxDepth) {
        return new QueueProperties(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(250), 64, maxDepth, 3,
                Duration.ofSeconds(5));
    }

    @Test
    void refusesAHeartbeatThatCouldNotKeepALeaseAlive() {
        assertThatThrownBy(() -> new QueueProperties(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofMillis(250),
                64, 100, 3, Duration.ofSeconds(5)))
                .hasMessageContaining("switchboard.runs.queue.heartbeat must be at most half of lease");
        assertThatThrownBy(() -> new QueueProperties(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(250),
                0, 100, 3, Duration.ofSeconds(5))).hasMessageContaining("claim-batch must be >= 1");
        assertThatThrownBy(() -> new QueueProperties(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(250),
                8, 100, 0, Duration.ofSeconds(5))).hasMessageContaining("max-recoveries must be >= 1");
    }

    @Test
    void parsesRunTimeoutsInEveryDocumentedForm() {
        assertThat(RunTimeouts.parse(JSON.readTree("1500"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(RunTimeouts.parse(JSON.readTree("\"30s\""))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RunTimeouts.parse(JSON.readTree("\"500ms\""))).isEqualTo(Duration.ofMillis(500));
        assertThat(RunTimeouts.parse(JSON.readTree("\"5m\""))).isEqualTo(Duration.ofMinutes(5));
        assertThat(RunTimeouts.parse(JSON.readTree("\"2h\""))).isEqualTo(Duration.ofHours(2));
        assertThat(RunTimeouts.parse(JSON.readTree("\"PT1M30S\""))).isEqualTo(Duration.ofSeconds(90));
        assertThat(RunTimeouts.parse(JSON.readTree("null"))).isNull();
        assertThat(RunTimeouts.parse(null)).isNull();
    }

    @Test
    void rejectsMalformedOrNonPositiveTimeoutsNamingTheField() {
        for (String bad : new String[] {"0", "-5", "\"soon\"", "\"10 parsecs\"", "true", "{}"}) {
            assertThatThrownBy(() -> RunTimeouts.parse(JSON.readTree(bad))).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status().value()).isEqualTo(422);
                        assertThat(e.properties().get("errors").toString()).contains("timeout");
                    });
        }
    }

    @Test
    void aFullQueueRefusesWith429AndARetryAfterFromTheDrainRate() {
        RunAdmission admission = new RunAdmission(queue(100), new SimpleMeterRegistry());
        admission.counted(99);
        admission.admit(); // 99 < 100
        admission.accepted();
        assertThatThrownBy(admission::admit).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("queue-full");
            assertThat(e.properties()).containsEntry("queued", 100).containsEntry("limit", 100);
            assertThat(Long.parseLong(e.headers().get("Retry-After"))).isBetween(1L, 60L);
        });
        admission.counted(40); // drained
        admission.admit();
    }

    @Test
    void betweenCountsTheDepthFollowsRunsAcceptedAndClaimedHereSoALateCountRefusesNothing() {
        RunAdmission admission = new RunAdmission(queue(100), new SimpleMeterRegistry());
        admission.counted(90);
        for (int i = 0; i < 500; i++) { // the workers keep up with the requests; no count comes meanwhile
            admission.accepted();
            admission.admit();
            admission.claimed(1);
        }
        assertThat(admission.depth()).isEqualTo(90);
        admission.claimed(200); // runs other replicas accepted, claimed here
        assertThat(admission.depth()).as("never negative").isZero();
    }

    @Test
    void aRunAcceptedWhileTheCountRunsIsNeverMissed() {
        RunAdmission admission = new RunAdmission(queue(100), new SimpleMeterRegistry());
        admission.count(() -> {
            admission.accepted(); // committed before or after the count's snapshot: either way at least once
            return 10;
        });
        assertThat(admission.depth()).isEqualTo(11);
        admission.accepted();
        assertThat(admission.depth()).isEqualTo(12);
        admission.count(() -> 12);
        assertThat(admission.depth()).isEqualTo(12);
    }

    @Test
    void retryAfterIsTheTimeToDrainBelowNinetyPercentAtTheMeasuredRate() {
        RunAdmission admission = new RunAdmission(queue(1000), new SimpleMeterRegistry());
        assertThat(admission.retryAfterSeconds(1000)).as("no rate measured yet: 1 run/s assumed, capped").isEqualTo(60);
        assertThat(admission.retryAfterSeconds(901)).isEqualTo(1);
    }
}
