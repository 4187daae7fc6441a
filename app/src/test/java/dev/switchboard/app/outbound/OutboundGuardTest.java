package dev.switchboard.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {

    /** Simulated DNS: names the tests use, nothing else resolves. */
    private static final Map<String, String[]> DNS = Map.of(
            "api.example.com", new String[] {"93.184.215.14"},
            "xn--ber-goa.example", new String[] {"93.184.215.15"},
            "localhost", new String[] {"127.0.0.1", "::1"},
            "internal.corp", new String[] {"10.1.2.3"},
            "mixed.example", new String[] {"93.184.215.14", "192.168.0.10"},
            "metadata.google.internal", new String[] {"169.254.169.254"},
            "six.example", new String[] {"2606:4700::1111"},
            "models.internal", new String[] {"10.9.8.7"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            out[i] = InetAddress.ofLiteral(addresses[i]);
        }
        return out;
    }

    private final OutboundGuard guard = OutboundGuard.of(List.of(), OutboundGuardTest::resolve);

    private Optional<String> refusal(OutboundGuard g, String url) {
        try {
            OutboundTarget t = g.check(url);
            g.vet(t.host(), t.port());
            return Optional.empty();
        } catch (OutboundRefusedException e) {
            return Optional.of(e.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // schemes
            "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://api.example.com/", "dict://api.example.com:11211/",
            "ldap://api.example.com/", "jar:http://api.example.com/x.jar!/", "javascript:alert(1)", "data:text/plain,hi",
            "netdoc:///etc/passwd", "api.example.com/path", "//api.example.com/", "http:api.example.com", "http://", "http:///x",
            // loopback and unspecified, in every spelling
            "http://127.0.0.1/", "http://127.0.0.1./", "HTTP://127.0.0.1/", " http://127.0.0.1 ", "http://127.255.255.254:8080/",
            "http://localhost/", "http://localhost.:80/", "http://LOCALHOST/", "http://0.0.0.0/", "http://0/", "http://[::]/",
            "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://2130706433/", "http://0x7f000001/", "http://0x7f.0.0.1/",
            "http://0177.0.0.1/", "http://017700000001/", "http://127.1/", "http://127.0.1/", "http://00127.0.0.1/",
            "http://127.000.000.001/", "http://１２７.０.０.１/", "http://%31%32%37.0.0.1/", "http://①②⑦.0.0.1/",
            "http://127。0。0。1/", "http://[::ffff:a9fe:a9fe]/", "http://2852039166/", "http://0xA9FEA9FE/",
            // IPv6 forms embedding forbidden IPv4
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b::10.0.0.1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/",
            "http://[2002:c0a8:101::1]/",
            // private, link-local, metadata, CGNAT, multicast, broadcast, reserved
            "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/", "http://100.64.0.1/",
            "http://100.127.255.255/", "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/",
            "http://224.0.0.1/", "http://239.255.255.250:1900/", "http://255.255.255.255/", "http://240.0.0.1/", "http://198.18.0.1/",
            "http://192.0.0.1/", "http://192.0.2.1/", "http://203.0.113.7/",
            // IPv6 local ranges
            "http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://[fc00::1]/", "http://[fd00:ec2::254]/", "http://[fec0::1]/",
            "http://[ff02::1]/", "http://[2001:db8::1]/", "http://[100::1]/", "http://[2001::1]/",
            // user info and confusion tricks
            "http://evil@127.0.0.1/", "http://user:pass@api.example.com/", "http://api.example.com@127.0.0.1/",
            "http://api.example.com\\@127.0.0.1/", "http://api.example.com%40127.0.0.1/", "http://127.0.0.1#@api.example.com/",
            "http://127.0.0.1?@api.example.com/", "http://api.example.com:80:80/", "http://[::1/", "http://api.example.com:0/",
            "http://api.example.com:65536/", "http://api.example.com:-1/", "http://api.exa mple.com/", "http://api.example.com\t/",
            "http://api.example.com\n.evil/", "http://a..b/", "http://-a.example/", "http://under_score.example/",
            // names resolving to forbidden addresses, and mixed answers
            "http://internal.corp/", "http://mixed.example/", "http://unknown.example/"})
    void refusesHostileUrls(String url) {
        assertThat(refusal(guard, url)).as(url).isPresent();
    }

    @Test
    void acceptsPublicDestinations() {
        assertThat(refusal(guard, "https://api.example.com/v1/items?q=a b&x=ü#frag")).isEmpty();
        assertThat(refusal(guard, "http://[2606:4700::1111]:8443/")).isEmpty();
        assertThat(refusal(guard, "https://six.example/")).isEmpty();
        assertThat(refusal(guard, "http://93.184.215.14/")).isEmpty();
        assertThat(refusal(guard, "http://[64:ff9b::5db8:d70e]/")).as("NAT64 of a public address").isEmpty();
        assertThat(refusal(guard, "https://ÜBER.example/")).as("international names in ASCII form").isEmpty();
    }

    @Test
    void normalisesWhatItAccepts() throws Exception {
        OutboundTarget t = guard.check("HTTPS://API.Example.COM./search?q=a b&n=ü#section");

        assertThat(t.scheme()).isEqualTo("https");
        assertThat(t.host()).isEqualTo("api.example.com");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.uri().toString()).isEqualTo("https://api.example.com/search?q=a%20b&n=%C3%BC");
        assertThat(t.origin()).isEqualTo("https://api.example.com");
        assertThat(guard.check("http://[2606:4700::1111]:8080/x").origin()).isEqualTo("http://[2606:4700::1111]:8080");
    }

    @Test
    void refusalsSayWhy() {
        assertThat(refusal(guard, "http://169.254.169.254/")).get().asString()
                .contains("169.254.169.254").contains("link-local").contains("switchboard.outbound.allow");
        assertThat(refusal(guard, "http://metadata.google.internal/")).get().asString()
                .contains("resolves to 169.254.169.254");
        assertThat(refusal(guard, "http://[::ffff:10.0.0.1]/")).get().asString().contains("private network");
        assertThat(refusal(guard, "http://2130706433/")).get().asString().contains("a.b.c.d");
        assertThat(refusal(guard, "http://a@api.example.com/")).get().asString().contains("user info");
        assertThat(refusal(guard, "gopher://x/")).get().asString().contains("http or https");
        assertThat(refusal(guard, "http://[::ffff:7f00:1]/")).get().asString().contains("127.0.0.1");
        assertThat(refusal(guard, "http://[2002:a9fe:a9fe::1]/")).get().asString().contains("6to4").contains("169.254.169.254");
    }

    @Test
    void theAllowListMakesExceptionsByBlockAddressPortAndName() {
        OutboundGuard g = OutboundGuard.of(List.of("10.0.0.0/8", "127.0.0.1:8089", "[::1]:9000", "models.internal:8000",
                "*.corp"), OutboundGuardTest::resolve);

        assertThat(refusal(g, "http://10.200.0.1/")).isEmpty();
        assertThat(refusal(g, "http://127.0.0.1:8089/")).isEmpty();
        assertThat(refusal(g, "http://127.0.0.1:8090/")).as("another port").isPresent();
        assertThat(refusal(g, "http://127.0.0.2:8089/")).isPresent();
        assertThat(refusal(g, "http://[::1]:9000/")).isEmpty();
        assertThat(refusal(g, "http://[::1]:9001/")).isPresent();
        assertThat(refusal(g, "http://models.internal:8000/v1")).isEmpty();
        assertThat(refusal(g, "http://internal.corp/")).isEmpty();
        assertThat(refusal(g, "http://169.254.169.254/")).as("everything else stays refused").isPresent();
        assertThat(refusal(g, "http://192.168.0.1/")).isPresent();
        assertThat(refusal(g, "http://evil@10.0.0.1/")).as("syntax rules still apply").isPresent();
    }

    @Test
    void badAllowListEntriesFailAtStart() {
        for (String bad : List.of("10.0.0.0/33", "2130706433", "127.1", "host name", "[::1", "a.b:99999", "0x7f.1/8")) {
            assertThatThrownBy(() -> OutboundGuard.of(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("switchboard.outbound.allow");
        }
    }

    @Test
    void eachVetResolvesOnceAndReturnsWhatItChecked() throws Exception {
        int[] lookups = {0};
        // rebinding: public on the first answer, loopback afterwards
        OutboundGuard g = OutboundGuard.of(List.of(), host -> {
            lookups[0]++;
            return new InetAddress[] {InetAddress.ofLiteral(lookups[0] == 1 ? "93.184.215.14" : "127.0.0.1")};
        });

        assertThat(g.vet("rebind.example", 80)).containsExactly(InetAddress.ofLiteral("93.184.215.14"));
        assertThat(lookups[0]).isEqualTo(1);
        assertThatThrownBy(() -> g.vet("rebind.example", 80)).isInstanceOf(OutboundRefusedException.class)
                .hasMessageContaining("127.0.0.1");
    }
}
