package dev.switchboard.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TrustedProxiesTest {

    private static List<String> entries(Map<String, String> properties) {
        return TrustedProxies.entries(new Binder(new MapConfigurationPropertySource(properties)));
    }

    @Test
    void oneProperty_withTheOldNameAsADeprecatedAlias_andLoopbackByDefault() {
        assertThat(entries(Map.of())).containsExactly("127.0.0.0/8", "::1");
        assertThat(entries(Map.of("switchboard.http.trusted-proxies", "10.0.0.0/8,192.168.1.7")))
                .containsExactly("10.0.0.0/8", "192.168.1.7");
        assertThat(entries(Map.of("switchboard.trusted-proxies", "172.16.0.0/12"))).containsExactly("172.16.0.0/12");
        assertThat(entries(Map.of("switchboard.http.trusted-proxies", "10.0.0.1", "switchboard.trusted-proxies", "10.0.0.2")))
                .as("the new name wins").containsExactly("10.0.0.1");
        assertThat(entries(Map.of("switchboard.http.trusted-proxies", ""))).as("explicitly none").isEmpty();
    }

    @Test
    void blocksMatchPeersOfTheirFamilyWithoutDns() {
        TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "fd00::/8"));

        assertThat(proxies.trusts("10.255.0.1")).isTrue();
        assertThat(proxies.trusts("11.0.0.1")).isFalse();
        assertThat(proxies.trusts("fd12:3456::1")).isTrue();
        assertThat(proxies.trusts("fe80:0:0:0:0:0:0:1%eth0")).isFalse();
        assertThat(proxies.trusts(InetAddress.ofLiteral("::ffff:10.1.1.1"))).as("IPv4-mapped is IPv4 to Java").isTrue();
        assertThat(proxies.trusts("localhost")).isFalse();
        assertThat(proxies.trusts("010.0.0.1")).as("not a canonical literal").isFalse();
        assertThat(proxies.trusts((String) null)).isFalse();
    }

    @Test
    void badEntriesFailAtStartNamingTheProperty() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.internal")))
                .hasMessageContaining("switchboard.http.trusted-proxies").hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
    }
}
