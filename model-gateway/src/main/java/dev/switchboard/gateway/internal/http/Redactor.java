package dev.switchboard.gateway.internal.http;

import dev.switchboard.gateway.Secret;
import java.util.regex.Pattern;

/**
 * Removes API keys from text that may end up in exception messages or logs: the key actually used, and anything
 * shaped like a well-known key or bearer token (providers sometimes echo a partly masked key back).
 */
public final class Redactor {

    private static final Pattern KEY_SHAPED = Pattern.compile(
            "(?i)\\b(?:sk|pk|rk|sess)-[A-Za-z0-9_*.\\-]{4,}|\\bBearer\\s+[^\\s\"',]+");

    private Redactor() {
    }

    public static String redact(String text, Secret key) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (key != null) {
            out = out.replace(key.reveal(), "****");
        }
        return KEY_SHAPED.matcher(out).replaceAll("****");
    }
}
