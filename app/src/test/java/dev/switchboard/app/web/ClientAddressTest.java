package dev.switchboard.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress loopbackProxy = new ClientAddress(List.of("127.0.0.0/8", "::1"));
    private final ClientAddress twoProxies = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.7"));

    @Test
    void aDirectClientIsTheSocketPeerWhateverItsHeadersClaim() {
        assertThat(loopbackProxy.resolve("203.0.113.9", List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
        assertThat(twoProxies.resolve("203.0.113.9", List.of("10.0.0.1, 1.2.3.4"))).isEqualTo("203.0.113.9");
    }

    @Test
    void behindATrustedProxyTheRightmostUntrustedForwardedAddressIsTheClient() {
        assertThat(loopbackProxy.resolve("127.0.0.1", List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
        // a client's own X-Forwarded-For entry sits left of what the proxy appended: never believed
        assertThat(loopbackProxy.resolve("127.0.0.1", List.of("6.6.6.6, 198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(twoProxies.resolve("10.1.2.3", List.of("6.6.6.6, 198.51.100.4", "192.168.1.7")))
                .isEqualTo("198.51.100.4");
        assertThat(twoProxies.resolve("10.1.2.3", List.of("198.51.100.4:5123, 10.9.9.9"))).isEqualTo("198.51.100.4");
        assertThat(loopbackProxy.resolve("::1", List.of("[2001:db8::7]:443"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void withoutAHeaderOrWithGarbageTheLastTrustedHopIsTheClient() {
        assertThat(loopbackProxy.resolve("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
        assertThat(loopbackProxy.resolve("127.0.0.1", List.of("evil.example.com"))).isEqualTo("127.0.0.1");
        assertThat(twoProxies.resolve("10.0.0.2", List.of("not-an-ip, 10.0.0.3"))).isEqualTo("10.0.0.3");
        assertThat(loopbackProxy.resolve("127.0.0.1", List.of("127.0.0.2, 127.0.0.3"))).isEqualTo("127.0.0.2");
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        assertThat(ClientAddress.literal("localhost")).isNull();
        assertThat(ClientAddress.literal("example.com")).isNull();
        assertThat(ClientAddress.literal("1.2.3.4")).isNotNull();
        assertThat(ClientAddress.literal("::1")).isNotNull();
    }

    @Test
    void rangesMatchByPrefix() {
        ClientAddress narrow = new ClientAddress(List.of("192.168.4.0/22"));
        assertThat(narrow.resolve("192.168.7.255", List.of("203.0.113.1"))).isEqualTo("203.0.113.1");
        assertThat(narrow.resolve("192.168.8.0", List.of("203.0.113.1"))).isEqualTo("192.168.8.0");
        ClientAddress none = new ClientAddress(List.of());
        assertThat(none.resolve("127.0.0.1", List.of("203.0.113.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void aBadTrustedProxyEntryFailsAtStartWithItsName() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/40")))
                .hasMessageContaining("switchboard.http.trusted-proxies").hasMessageContaining("10.0.0.0/40");
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal")))
                .hasMessageContaining("proxy.internal");
    }
}
