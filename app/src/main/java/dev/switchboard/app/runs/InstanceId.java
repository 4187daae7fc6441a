package dev.switchboard.app.runs;

import dev.switchboard.app.SwitchboardProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/**
 * Names this process in the runs it executes ({@code runs.runner}): {@code switchboard.instance-id},
 * else the host name. Replicas sharing one database need distinct, stable ids (until durable
 * leases replace this), so that a restarted replica fails only its own interrupted runs.
 */
@Component
public final class InstanceId {

    private final String value;

    InstanceId(SwitchboardProperties properties) {
        this.value = properties.instanceId() != null ? properties.instanceId() : hostName();
    }

    public String value() {
        return value;
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
