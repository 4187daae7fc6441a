package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.twilio.FormBody.MalformedFormException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    private static Map<String, String> parse(String body) throws MalformedFormException {
        return FormBody.parse(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Test
    void decodesPlusPercentEscapesAndUtf8InOrder() throws Exception {
        Map<String, String> p = parse("Body=Hello+w%C3%B6rld+%26+%3Cfriends%3E%21&From=%2B14155550100&Empty=&Flag");

        assertThat(p).containsExactly(Map.entry("Body", "Hello wörld & <friends>!"), Map.entry("From", "+14155550100"),
                Map.entry("Empty", ""), Map.entry("Flag", ""));
    }

    @Test
    void anEmptyBodyHasNoParameters() throws Exception {
        assertThat(parse("")).isEmpty();
        assertThat(parse("&&")).isEmpty();
    }

    @Test
    void refusesBrokenEscapesInvalidUtf8RepeatedAndEmptyNames() {
        assertThatThrownBy(() -> parse("Body=100%")).isInstanceOf(MalformedFormException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> parse("Body=%ZZ")).isInstanceOf(MalformedFormException.class).hasMessageContaining("hex");
        assertThatThrownBy(() -> parse("Body=%C3%28")).isInstanceOf(MalformedFormException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> parse("Body=a&Body=b")).isInstanceOf(MalformedFormException.class)
                .hasMessageContaining("'Body' appears more than once");
        assertThatThrownBy(() -> parse("=x")).isInstanceOf(MalformedFormException.class).hasMessageContaining("empty name");
    }

    @Test
    void readsTheCharsetOfTheContentType() throws Exception {
        assertThat(FormBody.charsetOf(null)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(FormBody.charsetOf("application/x-www-form-urlencoded")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(FormBody.charsetOf("application/x-www-form-urlencoded; charset=\"ISO-8859-1\""))
                .isEqualTo(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> FormBody.charsetOf("application/x-www-form-urlencoded; charset=klingon"))
                .isInstanceOf(MalformedFormException.class);
    }
}
