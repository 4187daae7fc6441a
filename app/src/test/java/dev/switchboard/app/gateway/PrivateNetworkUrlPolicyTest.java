package dev.switchboard.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivateNetworkUrlPolicyTest {

    /** A resolver answering from a table, as DNS would (no network in tests). */
    private static PrivateNetworkUrlPolicy policy(boolean allowPrivate, Map<String, String> dns) {
        return new PrivateNetworkUrlPolicy(allowPrivate, host -> {
            String ip = dns.getOrDefault(host, host);
            if (!Character.isDigit(ip.charAt(0)) && !ip.contains(":")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(ip)};
        });
    }

    @Test
    void refusesPrivateLoopbackLinkLocalAndReservedAddresses() {
        PrivateNetworkUrlPolicy policy = policy(false, Map.of("internal.corp", "10.0.0.7", "rebound.example", "127.0.0.1"));

        for (String url : new String[] {"http://127.0.0.1/v1", "http://10.0.0.1", "http://172.16.5.4", "http://192.168.1.1",
                "http://169.254.169.254/latest", "http://100.64.0.1", "http://0.0.0.0", "http://[::1]/", "http://[fd00::1]/",
                "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/", "http://224.0.0.1", "http://internal.corp/v1",
                "https://rebound.example/v1"}) {
            assertThat(policy.refusal(URI.create(url))).as(url).get().asString().contains("private or local address");
        }
    }

    @Test
    void allowsPublicHttpUrlsOnly() {
        PrivateNetworkUrlPolicy policy = policy(false, Map.of("llm.example.com", "93.184.216.34"));

        assertThat(policy.refusal(URI.create("https://llm.example.com/v1"))).isEmpty();
        assertThat(policy.refusal(URI.create("http://8.8.8.8:8000/v1"))).isEmpty();
        assertThat(policy.refusal(URI.create("file:///etc/passwd"))).get().asString().contains("http or https");
        assertThat(policy.refusal(URI.create("https://user:pw@llm.example.com/v1"))).get().asString().contains("user info");
        assertThat(policy.refusal(URI.create("https://nowhere.invalid/v1"))).get().asString().contains("cannot be resolved");
        assertThat(policy.refusal(URI.create("/v1/relative"))).isPresent();
    }

    @Test
    void privateNetworksCanBeAllowedForSelfHostedServers() {
        assertThat(policy(true, Map.of()).refusal(URI.create("http://127.0.0.1:11434/v1"))).isEmpty();
        assertThat(policy(true, Map.of()).refusal(URI.create("ftp://127.0.0.1/"))).isPresent();
    }
}
