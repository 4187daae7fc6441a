package dev.switchboard.app.gateway;

import java.util.UUID;

/** Workspace ids as the gateway carries them (strings in {@code CallContext}). */
final class WorkspaceIds {

    private WorkspaceIds() {
    }

    /** The workspace's UUID, or null for ids that name no stored workspace (e.g. the gateway's "default"). */
    static UUID parse(String workspaceId) {
        if (workspaceId == null || workspaceId.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(workspaceId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
