package dev.switchboard.app.share;

import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.secrets.SecretException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The cookie a browser gets after entering a link's correct passcode: the grant's expiry sealed
 * with the master key ({@link SecretBox}, AES-GCM) and bound to the link and its current passcode
 * hash. Changing the passcode (new salt, new hash) or rotating the token therefore ends every
 * grant at once, without server-side sessions. Thread-safe.
 */
final class PasscodeGrants {

    static final String COOKIE = "sb_share_grant";

    private final SecretBox box;

    PasscodeGrants(SecretBox box) {
        this.box = box;
    }

    String issue(UUID appId, String passcodeHash, Instant expires) {
        return box.seal(Long.toString(expires.getEpochSecond()), context(appId, passcodeHash));
    }

    /** Whether {@code cookie} is a grant for this link and passcode that has not expired. */
    boolean valid(String cookie, UUID appId, String passcodeHash, Instant now) {
        if (cookie == null || cookie.isBlank() || cookie.length() > 512 || passcodeHash == null) {
            return false;
        }
        try {
            long expires = Long.parseLong(box.open(cookie, context(appId, passcodeHash)));
            return now.getEpochSecond() < expires;
        } catch (SecretException | NumberFormatException e) {
            return false;
        }
    }

    private static String context(UUID appId, String passcodeHash) {
        return "share-grant:" + appId + ":" + HexFormat.of().formatHex(ShareTokens.sha256(passcodeHash), 0, 16);
    }
}
