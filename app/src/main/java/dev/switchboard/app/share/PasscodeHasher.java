package dev.switchboard.app.share;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Passcodes of share links, stored as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64,
 * 16-byte salt, 32-byte hash) with the JDK's PBKDF2-HMAC-SHA256. Verification always does the full
 * derivation and compares in constant time; {@link #verifyNothing} spends the same effort when
 * there is nothing to compare against, so the response time tells nothing. Thread-safe.
 */
final class PasscodeHasher {

    static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final SecureRandom random;
    /** A hash of a random passcode at the current cost: the work done for unknown links. */
    private final String dummy;

    PasscodeHasher(int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1");
        }
        this.iterations = iterations;
        this.random = random;
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        this.dummy = hash(Base64.getEncoder().encodeToString(secret));
    }

    String hash(String passcode) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] derived = derive(passcode, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
    }

    /** Whether {@code passcode} matches {@code stored}; a malformed stored value never matches. */
    boolean verify(String passcode, String stored) {
        Parsed parsed = Parsed.of(stored);
        if (parsed == null || passcode == null) {
            verifyNothing();
            return false;
        }
        byte[] derived = derive(passcode, parsed.salt(), parsed.iterations());
        return MessageDigest.isEqual(derived, parsed.hash());
    }

    /** Does the work of a verification against nothing (unknown link), and fails. */
    boolean verifyNothing() {
        Parsed parsed = Parsed.of(dummy);
        MessageDigest.isEqual(derive("not-a-passcode", parsed.salt(), parsed.iterations()), parsed.hash());
        return false;
    }

    private static byte[] derive(String passcode, byte[] salt, int iterations) {
        KeySpec spec = new PBEKeySpec(passcode.toCharArray(), salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
        static Parsed of(String stored) {
            if (stored == null) {
                return null;
            }
            String[] parts = stored.split("\\$");
            if (parts.length != 4 || !SCHEME.equals(parts[0])) {
                return null;
            }
            try {
                int iterations = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] hash = Base64.getDecoder().decode(parts[3]);
                if (iterations < 1 || iterations > 10_000_000 || hash.length != HASH_BYTES) {
                    return null;
                }
                return new Parsed(iterations, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
