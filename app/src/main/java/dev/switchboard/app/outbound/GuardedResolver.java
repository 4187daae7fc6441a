package dev.switchboard.app.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/** HttpClient's name resolution, answered by the guard: the addresses a connection may use. */
record GuardedResolver(OutboundGuard guard) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return guard.vet(host, -1).toArray(InetAddress[]::new);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return guard.vet(host, port).stream().map(a -> new InetSocketAddress(a, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // no reverse lookups
    }
}
