package dev.switchboard.engine.internal.policy;

import java.util.Locale;

/** Kinds of personal data {@code policy.pii} finds, with the placeholder prefix each redacts to. */
enum PiiType {
    EMAIL("EMAIL"),
    PHONE("PHONE"),
    CREDIT_CARD("CREDIT_CARD"),
    SSN("SSN"),
    IBAN("IBAN"),
    IP_ADDRESS("IP_ADDRESS");

    final String placeholderPrefix;

    PiiType(String placeholderPrefix) {
        this.placeholderPrefix = placeholderPrefix;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PiiType fromWireName(String s) {
        for (PiiType t : values()) {
            if (t.wireName().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
