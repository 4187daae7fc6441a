package dev.switchboard.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An API key. {@link #toString()} never shows it; {@link #reveal()} is called only where the key goes on
 * the wire. {@link #fingerprint()} identifies a key (circuit-breaker and rate-limit names) without exposing it.
 */
public final class Secret {

    private final String value;
    private final String fingerprint;

    private Secret(String value) {
        this.value = value;
        this.fingerprint = computeFingerprint(value);
    }

    /** Wraps a key; null or blank gives null (no key). */
    public static Secret ofNullable(String value) {
        return value == null || value.isBlank() ? null : new Secret(value.strip());
    }

    public static Secret of(String value) {
        Secret s = ofNullable(value);
        if (s == null) {
            throw new IllegalArgumentException("secret must not be blank");
        }
        return s;
    }

    /** The key itself. Only for putting it on the wire. */
    public String reveal() {
        return value;
    }

    /** The first 8 hex digits of the key's SHA-256: enough to tell keys apart, useless to an attacker. */
    public String fingerprint() {
        return fingerprint;
    }

    private static String computeFingerprint(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint);
    }

    @Override
    public String toString() {
        return "Secret[****" + fingerprint + "]";
    }
}
