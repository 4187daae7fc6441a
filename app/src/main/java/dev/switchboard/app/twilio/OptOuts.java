package dev.switchboard.app.twilio;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who must not be messaged: recipients that texted an opt-out keyword to one of our numbers, per
 * Twilio account ({@code twilio_opt_outs}). Checked before every send; Twilio's error 21610
 * (recipient unsubscribed at Twilio) is recorded here too. Thread-safe.
 */
@Component
class OptOuts {

    private final JdbcClient jdbc;

    OptOuts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void optOut(String accountSid, String ourNumber, String recipient, String keyword, Instant at) {
        jdbc.sql("""
                        INSERT INTO twilio_opt_outs (account_sid, phone_number, recipient, keyword, opted_out_at)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (account_sid, phone_number, recipient) DO NOTHING""")
                .params(accountSid, PhoneNumbers.normalize(ourNumber), PhoneNumbers.normalize(recipient), keyword,
                        at.atOffset(ZoneOffset.UTC))
                .update();
    }

    /** @return whether the recipient had opted out */
    boolean optIn(String accountSid, String ourNumber, String recipient) {
        return jdbc.sql("DELETE FROM twilio_opt_outs WHERE account_sid = ? AND phone_number = ? AND recipient = ?")
                .params(accountSid, PhoneNumbers.normalize(ourNumber), PhoneNumbers.normalize(recipient))
                .update() > 0;
    }

    boolean isOptedOut(String accountSid, String ourNumber, String recipient) {
        return jdbc.sql("SELECT 1 FROM twilio_opt_outs WHERE account_sid = ? AND phone_number = ? AND recipient = ?")
                .params(accountSid, PhoneNumbers.normalize(ourNumber), PhoneNumbers.normalize(recipient))
                .query(Integer.class).optional().isPresent();
    }
}
