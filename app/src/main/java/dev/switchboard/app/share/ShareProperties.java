package dev.switchboard.app.share;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of share pages ({@code switchboard.share.*}).
 *
 * @param maxBodySize largest request body a share page accepts (form or JSON); larger → 413
 * @param passcodeIterations PBKDF2-HMAC-SHA256 iterations for new passcodes (stored hashes keep theirs)
 * @param passcodeSession how long a browser stays unlocked after entering a link's passcode
 * @param limits rate limits of the public endpoints
 */
@ConfigurationProperties("switchboard.share")
public record ShareProperties(
        @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("600000") int passcodeIterations,
        @DefaultValue("12h") Duration passcodeSession,
        @DefaultValue Limits limits) {

    public ShareProperties {
        if (maxBodySize == null || maxBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("switchboard.share.max-body-size must be at least 1KB");
        }
        if (passcodeIterations < 10_000) {
            throw new IllegalArgumentException("switchboard.share.passcode-iterations must be >= 10000");
        }
        if (passcodeSession == null || passcodeSession.isNegative() || passcodeSession.isZero()) {
            throw new IllegalArgumentException("switchboard.share.passcode-session must be positive");
        }
        if (limits == null) {
            limits = new Limits(120, 30, 300, 10);
        }
    }

    /**
     * Token buckets, refilled evenly over a minute; 0 turns a limit off. A client is an address as
     * {@link dev.switchboard.app.web.ClientAddress} sees it.
     *
     * @param linkRunsPerMinute runs per share link, from all clients together (protects the owner's model budget)
     * @param clientRunsPerMinute runs per client address, across links
     * @param clientRequestsPerMinute any share request (pages included) per client address
     * @param clientPasscodeFailuresPerMinute wrong passcodes per client address; refused before any hashing
     */
    public record Limits(
            @DefaultValue("120") int linkRunsPerMinute,
            @DefaultValue("30") int clientRunsPerMinute,
            @DefaultValue("300") int clientRequestsPerMinute,
            @DefaultValue("10") int clientPasscodeFailuresPerMinute) {

        public Limits {
            if (linkRunsPerMinute < 0 || clientRunsPerMinute < 0 || clientRequestsPerMinute < 0
                    || clientPasscodeFailuresPerMinute < 0) {
                throw new IllegalArgumentException("switchboard.share.limits.* must be >= 0 (0 = no limit)");
            }
        }
    }
}
