package dev.switchboard.engine.internal.policy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals the placeholder → original value map of a {@code policy.pii} node with {@code restore: true}
 * so that it can travel in the node's outputs (and so in checkpoints and the stored trace) without
 * the raw values being readable there. AES-256-GCM with a fresh 96-bit nonce per seal; the run id
 * and node id are bound in as associated data, so a vault only opens for the run and node that
 * made it.
 *
 * <p>Trade-off: whoever holds the key and the trace can read the values; without a configured key
 * (a random one per process) a vault can no longer be opened after a restart, so a run that waits
 * for review across a restart keeps its placeholders. Thread-safe.
 */
final class PiiVault {

    static final String PREFIX = "v1.";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    PiiVault(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    static PiiVault withRandomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new PiiVault(k);
    }

    String seal(Map<String, String> values, String runId, String nodeId) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(runId, nodeId));
            byte[] sealed = c.doFinal(JSON.writeValueAsBytes(values));
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws VaultException when the vault is malformed, was made for another run/node, or with another key */
    Map<String, String> open(String vault, String runId, String nodeId) {
        if (vault == null || !vault.startsWith(PREFIX)) {
            throw new VaultException("not a PII vault");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(vault.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new VaultException("the vault is not valid base64");
        }
        if (raw.length <= NONCE) {
            throw new VaultException("the vault is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE));
            c.updateAAD(aad(runId, nodeId));
            byte[] plain = c.doFinal(raw, NONCE, raw.length - NONCE);
            return JSON.readValue(plain, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (javax.crypto.AEADBadTagException e) {
            throw new VaultException("the vault was sealed with another key or for another run");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new VaultException("the vault could not be opened: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] aad(String runId, String nodeId) {
        return (runId + '\u0000' + nodeId).getBytes(StandardCharsets.UTF_8);
    }

    /** A vault that cannot be opened; the message never contains vault contents. */
    static final class VaultException extends RuntimeException {
        VaultException(String message) {
            super(message);
        }
    }
}
