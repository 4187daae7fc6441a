package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signature vectors computed outside the SDK (openssl: {@code printf '%s' "$url$sortedParams" |
 * openssl dgst -sha1 -hmac $token -binary | base64}) and by the tests' own HMAC, checked against
 * the SDK's RequestValidator the webhook uses.
 */
class SignatureVectorsTest {

    @Test
    void twiliosDocumentedExample() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("Caller", "+12349013030");
        params.put("Digits", "1234");
        params.put("From", "+12349013030");
        params.put("To", "+18005551212");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";

        assertThat(TwilioFixture.sign("12345", url, params)).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assertThat(new RequestValidator("12345").validate(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
        assertThat(new RequestValidator("12346").validate(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    }

    @Test
    void anSmsWithNonAsciiAndXmlCharacters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("To", "+15005550006");
        params.put("MessageSid", "SM0123456789abcdef0123456789abcdef");
        params.put("Body", "Hello, wörld & <friends>!");
        params.put("From", "+14155550100");
        params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        params.put("NumMedia", "0");
        String url = "https://sb.example.test/twilio/sms/0196f1e2-3b4c-7d5e-8f90-a1b2c3d4e5f6";
        String token = "test-auth-token-0123456789abcdef";
        String openssl = "fluZDo9xBftBmOUbFoGTiyAp588=";

        assertThat(TwilioFixture.sign(token, url, params)).isEqualTo(openssl);
        assertThat(new RequestValidator(token).validate(url, params, openssl)).isTrue();
        params.put("Body", "Hello, world & <friends>!");
        assertThat(new RequestValidator(token).validate(url, params, openssl)).isFalse();
    }
}
