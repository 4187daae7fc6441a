package dev.switchboard.app.secrets;

import dev.switchboard.app.SwitchboardProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the {@link SecretBox} from env, a key file, or a key generated into the data dir. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
class SecretsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecretsConfiguration.class);

    @Bean
    SecretBox secretBox(SecretsProperties props, SwitchboardProperties app) {
        SecureRandom random = new SecureRandom();
        byte[] current;
        if (props.masterKey() != null) {
            current = decode(props.masterKey(), "switchboard.secrets.master-key");
        } else {
            Path file = props.masterKeyFile() != null
                    ? props.masterKeyFile()
                    : app.dataDir().resolve("secrets").resolve("master.key");
            current = readOrCreate(file, random, props.masterKeyFile() == null);
        }
        List<byte[]> previous = new ArrayList<>();
        for (int i = 0; i < props.previousKeys().size(); i++) {
            previous.add(decode(props.previousKeys().get(i), "switchboard.secrets.previous-keys[" + i + "]"));
        }
        SecretBox box = new SecretBox(current, previous, random);
        log.info("Secrets at rest sealed with master key {}", box.currentKeyId());
        return box;
    }

    private static byte[] decode(String base64, String name) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not valid base64 (expected 32 random bytes, base64-encoded)");
        }
    }

    private static byte[] readOrCreate(Path file, SecureRandom random, boolean mayCreate) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII), "master key file " + file);
            }
            if (!mayCreate) {
                throw new IllegalStateException("switchboard.secrets.master-key-file " + file + " does not exist");
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data dir's own permissions apply
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.warn("Generated a master key for secrets at rest in {} — back it up, or set "
                    + "SWITCHBOARD_SECRETS_MASTER_KEY in production", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }
}
