package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TwimlTest {

    @Test
    void emptyAckAndEscapedReplies() {
        assertThat(Twiml.of(List.of())).isEqualTo("<Response/>");
        assertThat(Twiml.message(null)).isEqualTo("<Response/>");
        assertThat(Twiml.message("a < b & \"c\"")).isEqualTo("<Response><Message>a &lt; b &amp; &quot;c&quot;</Message></Response>");
        assertThat(Twiml.of(List.of(new Twiml.Reply("one", "https://x.test/s?a=1&b=2"), new Twiml.Reply("two", null))))
                .isEqualTo("<Response><Message action=\"https://x.test/s?a=1&amp;b=2\" method=\"POST\">one</Message>"
                        + "<Message>two</Message></Response>");
    }

    @Test
    void dropsCharactersXmlCannotCarry() {
        assertThat(Twiml.escape("bell\u0007 tab\t nl\n")).isEqualTo("bell tab\t nl\n");
    }
}
