package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.web.TrustedProxies;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class PublicUrlsTest {

    private static MockHttpServletRequest request(String remote) {
        MockHttpServletRequest r = new MockHttpServletRequest("POST", "/twilio/sms/abc");
        r.setScheme("http");
        r.setServerName("10.0.0.5");
        r.setServerPort(8080);
        r.addHeader("Host", "10.0.0.5:8080");
        r.setRemoteAddr(remote);
        r.addHeader("X-Forwarded-Proto", "https");
        r.addHeader("X-Forwarded-Host", "bot.example.com, inner.proxy");
        return r;
    }

    @Test
    void theConfiguredPublicBaseUrlWinsOverEverythingTheRequestSays() {
        PublicUrls urls = new PublicUrls(new PublicUrlProperties(URI.create("https://abc.ngrok.app/")),
                new TrustedProxies(List.of("10.0.0.0/8")));
        MockHttpServletRequest r = request("10.1.2.3");
        r.setQueryString("send=42");

        assertThat(urls.urlOf(r)).isEqualTo("https://abc.ngrok.app/twilio/sms/abc?send=42");
        assertThat(urls.configuredBase()).contains("https://abc.ngrok.app");
    }

    @Test
    void forwardedHeadersCountOnlyFromTrustedProxies() {
        PublicUrls urls = new PublicUrls(new PublicUrlProperties(null), new TrustedProxies(List.of("10.0.0.0/8", "::1")));

        assertThat(urls.urlOf(request("10.200.0.1"))).isEqualTo("https://bot.example.com/twilio/sms/abc");
        assertThat(urls.urlOf(request("0:0:0:0:0:0:0:1"))).isEqualTo("https://bot.example.com/twilio/sms/abc");
        assertThat(urls.urlOf(request("192.168.1.20"))).isEqualTo("http://10.0.0.5:8080/twilio/sms/abc");
        assertThat(urls.urlOf(request("11.0.0.1"))).isEqualTo("http://10.0.0.5:8080/twilio/sms/abc");
    }

    @Test
    void withoutTrustedProxiesForwardedHeadersAreIgnored() {
        PublicUrls urls = new PublicUrls(new PublicUrlProperties(null), new TrustedProxies(List.of()));

        assertThat(urls.urlOf(request("127.0.0.1"))).isEqualTo("http://10.0.0.5:8080/twilio/sms/abc");
    }

    @Test
    void aForwardedPortIsAddedUnlessItIsTheSchemesDefault() {
        PublicUrls urls = new PublicUrls(new PublicUrlProperties(null), new TrustedProxies(List.of("127.0.0.1")));
        MockHttpServletRequest r = request("127.0.0.1");
        r.addHeader("X-Forwarded-Port", "8443");
        MockHttpServletRequest d = request("127.0.0.1");
        d.addHeader("X-Forwarded-Port", "443");

        assertThat(urls.baseOf(r)).isEqualTo("https://bot.example.com:8443");
        assertThat(urls.baseOf(d)).isEqualTo("https://bot.example.com");
    }

    @Test
    void aPublicBaseUrlMustBeAPlainHttpUrl() {
        assertThatThrownBy(() -> new PublicUrlProperties(URI.create("ftp://x")))
                .hasMessageContaining("switchboard.public-base-url");
        assertThat(new PublicUrlProperties(URI.create("")).publicBaseUrl()).isNull();
    }
}
