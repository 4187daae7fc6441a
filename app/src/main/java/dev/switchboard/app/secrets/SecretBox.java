package dev.switchboard.app.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM. A sealed value reads {@code v1:<keyId>:<base64(nonce ‖
 * ciphertext ‖ tag)>}: the key id names the master key that sealed it, so several keys can be in
 * use during a rotation. Every value is bound to a context string (additional authenticated data,
 * e.g. {@code "twilio-token:<appId>"}), so a ciphertext copied into another row fails to open.
 *
 * <p>Thread-safe; holds no mutable state besides the random source.
 */
public final class SecretBox {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Key current;
    private final Map<String, Key> byId;
    private final SecureRandom random;

    private record Key(String id, SecretKey key) {}

    /**
     * @param currentKey 32 bytes that seal new values
     * @param previousKeys keys that only open older values
     */
    public SecretBox(byte[] currentKey, List<byte[]> previousKeys, SecureRandom random) {
        this.current = key(currentKey, "current master key");
        Map<String, Key> keys = new LinkedHashMap<>();
        keys.put(current.id(), current);
        for (int i = 0; i < previousKeys.size(); i++) {
            Key k = key(previousKeys.get(i), "previous key #" + (i + 1));
            keys.putIfAbsent(k.id(), k);
        }
        this.byId = Map.copyOf(keys);
        this.random = Objects.requireNonNull(random, "random");
    }

    private static Key key(byte[] bytes, String name) {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException(name + " must be 32 bytes (base64 of 32 random bytes), was "
                    + (bytes == null ? "missing" : bytes.length + " bytes"));
        }
        return new Key(keyId(bytes), new SecretKeySpec(bytes.clone(), "AES"));
    }

    /** First 8 hex digits of SHA-256 of the key: names a key without revealing it. */
    static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the key new values are sealed with. */
    public String currentKeyId() {
        return current.id();
    }

    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(context, "context");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + ":" + current.id() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal a secret", e);
        }
    }

    /**
     * Opens a value sealed by {@link #seal} with the same context.
     *
     * @throws SecretException when the value is malformed, sealed with an unknown key, tampered
     *     with, or bound to another context; the message never contains the value
     */
    public String open(String sealed, String context) {
        Objects.requireNonNull(context, "context");
        if (sealed == null) {
            throw new SecretException("no sealed value");
        }
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SecretException("not a sealed secret (expected v1:<keyId>:<data>)");
        }
        Key key = byId.get(parts[1]);
        if (key == null) {
            throw new SecretException("sealed with master key " + parts[1]
                    + ", which is not configured (add it to switchboard.secrets.previous-keys)");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretException("sealed secret is not valid base64");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretException("sealed secret is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretException("sealed secret failed authentication (tampered, or bound to another record)");
        }
    }

    /** True when previous keys are configured (a rotation is under way). */
    public boolean hasPreviousKeys() {
        return byId.size() > 1;
    }

    /** True when {@code sealed} was sealed with an older key and should be re-sealed. */
    public boolean needsReseal(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        return parts.length != 3 || !current.id().equals(parts[1]);
    }

    /** Re-seals a value under the current key (rotation). */
    public String reseal(String sealed, String context) {
        return seal(open(sealed, context), context);
    }

    /** What an API response shows of a secret: its last four characters at most. */
    public static String mask(String plaintext) {
        if (plaintext == null || plaintext.isEmpty()) {
            return null;
        }
        if (plaintext.length() <= 8) {
            return "****";
        }
        return "****" + plaintext.substring(plaintext.length() - 4);
    }
}
