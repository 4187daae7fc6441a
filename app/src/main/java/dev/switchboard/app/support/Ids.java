package dev.switchboard.app.support;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Generates UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds then random bits, so ids of rows
 * written close in time sit close in B-tree indexes and sort by creation time.
 *
 * <p>Thread-safe. The random part comes from a {@link SecureRandom} (ids appear in URLs; they must
 * not be predictable).
 */
@Component
public final class Ids {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public UUID next() {
        long millis = clock.millis();
        long randA = random.nextLong();
        long randB = random.nextLong();
        long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
