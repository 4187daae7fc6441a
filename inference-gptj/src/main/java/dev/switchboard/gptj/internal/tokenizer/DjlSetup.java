package dev.switchboard.gptj.internal.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DJL reads two settings when it first loads its native tokenizer library: {@code ai.djl.offline}
 * (never download; the CPU library ships in the jar) and {@code DJL_CACHE_DIR} (where it unpacks the
 * library). Settings the host already made win; otherwise offline is forced and, when the default
 * cache in the home directory cannot be written, a directory under java.io.tmpdir is used.
 */
final class DjlSetup {

    private DjlSetup() {
    }

    static synchronized void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            Path home = Path.of(System.getProperty("user.home", "/"), ".djl.ai");
            if (!writable(home)) {
                System.setProperty("DJL_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "djl-cache").toString());
            }
        }
    }

    private static boolean writable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
