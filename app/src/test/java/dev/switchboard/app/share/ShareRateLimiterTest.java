package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShareRateLimiterTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void aClientGetsItsBudgetThenWaitsForTheRefill() {
        ShareRateLimiter limiter = new ShareRateLimiter(new ShareProperties.Limits(100, 3, 100, 10), clock);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.run("1.1.1.1", "link")).isEmpty();
        }
        var limited = limiter.run("1.1.1.1", "link");
        assertThat(limited).isPresent();
        assertThat(limited.get().scope()).isEqualTo(ShareRateLimiter.Scope.CLIENT_RUNS);
        assertThat(limited.get().retryAfterSeconds()).isEqualTo(20); // 3 per minute: one every 20 s
        assertThat(limiter.run("2.2.2.2", "link")).as("another client").isEmpty();

        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.run("1.1.1.1", "link")).isEmpty();
        assertThat(limiter.run("1.1.1.1", "link")).isPresent();
    }

    @Test
    void aLinkIsLimitedAcrossClientsAndARefusalCostsTheClientNothing() {
        ShareRateLimiter limiter = new ShareRateLimiter(new ShareProperties.Limits(2, 2, 100, 10), clock);

        assertThat(limiter.run("1.1.1.1", "link")).isEmpty();
        assertThat(limiter.run("2.2.2.2", "link")).isEmpty();
        var limited = limiter.run("1.1.1.1", "link");
        assertThat(limited.orElseThrow().scope()).isEqualTo(ShareRateLimiter.Scope.LINK_RUNS);
        assertThat(limiter.run("1.1.1.1", "other-link")).as("the refused run was not counted for the client").isEmpty();
        assertThat(limiter.run("1.1.1.1", "third-link")).isPresent();
    }

    @Test
    void passcodeAllowancesAreOnlySpentByWrongPasscodes() {
        ShareRateLimiter limiter = new ShareRateLimiter(new ShareProperties.Limits(100, 100, 100, 2), clock);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.passcodeAttempt("1.1.1.1")).isEmpty();
            limiter.passcodeAccepted("1.1.1.1");
        }
        assertThat(limiter.passcodeAttempt("1.1.1.1")).isEmpty();
        assertThat(limiter.passcodeAttempt("1.1.1.1")).isEmpty();
        assertThat(limiter.passcodeAttempt("1.1.1.1").orElseThrow().scope()).isEqualTo(ShareRateLimiter.Scope.CLIENT_PASSCODES);
    }

    @Test
    void zeroTurnsALimitOff() {
        ShareRateLimiter limiter = new ShareRateLimiter(new ShareProperties.Limits(0, 0, 0, 0), clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.run("1.1.1.1", "link")).isEmpty();
            assertThat(limiter.request("1.1.1.1")).isEmpty();
        }
    }
}
