package dev.switchboard.app.keys;

/**
 * What a key may do, each role including the ones below it: {@code run} starts runs and reads
 * apps and runs; {@code build} also creates, changes, publishes and deletes apps; {@code admin}
 * also manages keys and workspaces.
 */
public enum KeyRole {
    RUN("run"),
    BUILD("build"),
    ADMIN("admin");

    private final String wire;

    KeyRole(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean includes(KeyRole other) {
        return compareTo(other) >= 0;
    }

    public static KeyRole fromWire(String value) {
        for (KeyRole role : values()) {
            if (role.wire.equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be one of admin, build, run; was '" + value + "'");
    }
}
