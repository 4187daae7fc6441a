package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeywordTest {

    @ParameterizedTest
    @CsvSource({
            "STOP, OPT_OUT", "stop, OPT_OUT", "' Stop! ', OPT_OUT", "STOPALL, OPT_OUT", "unsubscribe, OPT_OUT",
            "Cancel, OPT_OUT", "END, OPT_OUT", "quit., OPT_OUT", "OPTOUT, OPT_OUT", "REVOKE, OPT_OUT",
            "START, OPT_IN", "yes, OPT_IN", "Unstop, OPT_IN",
            "HELP, HELP", "help?, HELP", "INFO, HELP"})
    void theWholeMessageAsOneKeywordIsRecognised(String body, Keyword expected) {
        assertThat(Keyword.of(body)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "stop it", "please stop", "STOP STOP", "help me", "yes please", "s t o p", "STOPPED",
            "STARTING", "!!!"})
    void anythingElseIsAnOrdinaryMessage(String body) {
        assertThat(Keyword.of(body)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void noBodyIsNoKeyword() {
        assertThat(Keyword.of(null)).isEqualTo(Optional.empty());
    }
}
