package dev.switchboard.app.twilio;

import static dev.switchboard.app.twilio.SendState.ACCEPTED;
import static dev.switchboard.app.twilio.SendState.FAILED;
import static dev.switchboard.app.twilio.SendState.INLINE;
import static dev.switchboard.app.twilio.SendState.OPTED_OUT;
import static dev.switchboard.app.twilio.SendState.PENDING;
import static dev.switchboard.app.twilio.SendState.SENDING;
import static dev.switchboard.app.twilio.SendState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SendStateTest {

    /** Every allowed transition; anything not listed is refused. */
    private static final List<List<SendState>> ALLOWED = List.of(
            List.of(PENDING, SENDING), List.of(PENDING, OPTED_OUT), List.of(PENDING, INLINE),
            List.of(SENDING, ACCEPTED), List.of(SENDING, FAILED), List.of(SENDING, UNKNOWN),
            List.of(FAILED, SENDING), List.of(FAILED, OPTED_OUT), List.of(FAILED, INLINE),
            List.of(UNKNOWN, ACCEPTED));

    @Test
    void transitionsAreExactlyTheTable() {
        Set<List<SendState>> actual = new HashSet<>();
        for (SendState from : SendState.values()) {
            for (SendState to : SendState.values()) {
                if (from.canBecome(to)) {
                    actual.add(List.of(from, to));
                }
            }
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(ALLOWED);
    }

    @Test
    void aMessageTwilioMayHaveCanNeverBeClaimedForSendingAgain() {
        assertThat(SendState.predecessorNames(SENDING)).containsExactlyInAnyOrder("pending", "failed");
        for (SendState s : EnumSet.of(SENDING, ACCEPTED, UNKNOWN, INLINE, OPTED_OUT)) {
            assertThat(s.canBecome(SENDING)).as(s.name()).isFalse();
        }
    }

    @Test
    void acceptedOptedOutAndInlineAreFinal() {
        assertThat(EnumSet.allOf(SendState.class).stream().filter(SendState::isFinal))
                .containsExactlyInAnyOrder(ACCEPTED, OPTED_OUT, INLINE);
    }

    @Test
    void wireNamesRoundTrip() {
        for (SendState s : SendState.values()) {
            assertThat(SendState.fromWire(s.wire())).isEqualTo(s);
        }
        assertThat(OPTED_OUT.wire()).isEqualTo("opted_out");
    }
}
