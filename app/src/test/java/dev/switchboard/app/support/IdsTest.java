package dev.switchboard.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsAreVersion7WithTheClocksMillisecondsFirst() {
        Instant now = Instant.parse("2026-11-27T10:15:30.123Z");
        UUID id = new Ids(Clock.fixed(now, ZoneOffset.UTC)).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAndNeverRepeat() {
        UUID earlier = new Ids(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC)).next();
        UUID later = new Ids(Clock.fixed(Instant.ofEpochMilli(1_001), ZoneOffset.UTC)).next();
        assertThat(later.toString()).isGreaterThan(earlier.toString());

        Ids ids = new Ids(Clock.fixed(Instant.ofEpochMilli(5), ZoneOffset.UTC));
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }
}
