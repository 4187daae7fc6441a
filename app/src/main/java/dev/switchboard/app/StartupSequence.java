package dev.switchboard.app;

import dev.switchboard.app.demo.DemoAppSeeder;
import dev.switchboard.app.keys.ApiKeyService;
import dev.switchboard.app.keys.CreatedApiKey;
import dev.switchboard.app.workspaces.Workspace;
import dev.switchboard.app.workspaces.WorkspaceService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * What happens once at start, after the schema is migrated and before the server takes
 * requests, in this order: the default workspace exists; the bootstrap key from
 * {@code SWITCHBOARD_API_KEY} is registered (or, without one and without any admin key, an admin
 * key is generated, logged once and written to {@code <data-dir>/admin-key.txt}); the demo app is
 * seeded once. (Runs a crash left unfinished are recovered by the run queue as it starts.)
 */
@Component
class StartupSequence implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(StartupSequence.class);

    private final SwitchboardProperties properties;
    private final WorkspaceService workspaces;
    private final ApiKeyService keys;
    private final DemoAppSeeder demo;

    StartupSequence(SwitchboardProperties properties, WorkspaceService workspaces, ApiKeyService keys,
            DemoAppSeeder demo) {
        this.properties = properties;
        this.workspaces = workspaces;
        this.keys = keys;
        this.demo = demo;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Workspace workspace = workspaces.ensureDefault();
        if (properties.apiKey() != null) {
            keys.registerBootstrapKey(properties.apiKey(), workspace.id());
        } else {
            keys.createAdminKeyIfNone(workspace.id()).ifPresent(this::announce);
        }
        try {
            demo.seed(workspace.id());
        } catch (RuntimeException e) {
            log.warn("Could not create the demo app (will retry at the next start): {}", e.getMessage());
        }
    }

    private void announce(CreatedApiKey key) {
        Optional<Path> file = write(key.secret());
        log.warn("""

                ============================================================================
                 No SWITCHBOARD_API_KEY was set, so an admin key was generated (shown once):
                   {}
                 {}
                ============================================================================""",
                key.secret(), file.map(p -> "It is also in " + p.toAbsolutePath() + ".").orElse(""));
    }

    private Optional<Path> write(String secret) {
        Path file = properties.dataDir().resolve("admin-key.txt");
        try {
            Files.createDirectories(properties.dataDir());
            Files.writeString(file, secret + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            return Optional.of(file);
        } catch (IOException e) {
            log.debug("Could not write {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
