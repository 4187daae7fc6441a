package dev.switchboard.app.workspaces;

import java.time.Instant;
import java.util.UUID;

/** A tenant: every app, run and key belongs to exactly one workspace. */
public record Workspace(UUID id, String name, boolean isDefault, Instant createdAt) {
}
