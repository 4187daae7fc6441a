package dev.switchboard.app.runs;

import dev.switchboard.app.SwitchboardProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/**
 * Names this process in the runs it executes ({@code runs.runner}): {@code switchboard.instance-id},
 * else the host name. Replicas sharing one database should have distinct, stable ids: a restarted
 * replica re-queues the runs its previous incarnation left running at once, instead of waiting for
 * their leases to expire.
 *
 * <p>{@link #leaseOwner()} names this process <em>incarnation</em> (the id plus a random suffix
 * drawn at start) in the queue's leases, so a restarted process never mistakes a lease of its
 * dead predecessor for its own.
 */
@Component
public final class InstanceId {

    private final String value;
    private final String leaseOwner;

    InstanceId(SwitchboardProperties properties) {
        this.value = properties.instanceId() != null ? properties.instanceId() : hostName();
        this.leaseOwner = value + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public String value() {
        return value;
    }

    /** This process incarnation, as written in {@code runs.lease_owner}. */
    public String leaseOwner() {
        return leaseOwner;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "switchboard";
        }
    }
}
