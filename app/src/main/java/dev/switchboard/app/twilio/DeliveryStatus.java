package dev.switchboard.app.twilio;

import java.util.Locale;
import java.util.Map;

/**
 * Twilio's message statuses in the order a message goes through them, so that status callbacks
 * arriving out of order (Twilio does not promise order) never move a message backwards:
 * {@code accepted/scheduled → queued → sending → sent → delivered | undelivered | failed |
 * canceled | partially_delivered → read}. Statuses Twilio adds later rank lowest (kept, never
 * overriding a known later one).
 */
final class DeliveryStatus {

    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("accepted", 1), Map.entry("scheduled", 1), Map.entry("queued", 2), Map.entry("sending", 3),
            Map.entry("sent", 4), Map.entry("delivered", 5), Map.entry("undelivered", 5), Map.entry("failed", 5),
            Map.entry("canceled", 5), Map.entry("partially_delivered", 5), Map.entry("read", 6));

    private DeliveryStatus() {
    }

    static int rank(String status) {
        return status == null ? -1 : RANK.getOrDefault(status.toLowerCase(Locale.ROOT), 0);
    }

    /** Whether {@code next} should replace {@code current} as the message's latest status. */
    static boolean advances(String current, String next) {
        return rank(next) >= rank(current);
    }
}
