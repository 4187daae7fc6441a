package dev.switchboard.app.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Share-link tokens: 192 bits from {@link SecureRandom}, written as 32 base64url characters.
 * Only their SHA-256 is looked up and stored in clear; with that much entropy a fast hash is
 * enough (nobody can enumerate the token space to invert it). Thread-safe.
 */
@Component
final class ShareTokens {

    static final int TOKEN_BYTES = 24;
    static final int TOKEN_LENGTH = 32;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{" + TOKEN_LENGTH + "}");

    private final SecureRandom random;

    ShareTokens() {
        this(new SecureRandom());
    }

    ShareTokens(SecureRandom random) {
        this.random = random;
    }

    String mint() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The lookup key of a token; empty when the text cannot be a token (no query is needed to refuse it). */
    static Optional<byte[]> hash(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return Optional.of(sha256(token));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
