package dev.switchboard.app.share;

import dev.switchboard.app.secrets.SealedColumn;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Share tokens are kept sealed (to show the URL again): re-sealed on master-key rotation. */
@Configuration(proxyBeanMethods = false)
class ShareSecrets {

    @Bean
    SealedColumn sealedShareTokens() {
        return new SealedColumn("share_links", "token_sealed", List.of("app_id"),
                row -> ShareLinks.context((UUID) row.get("app_id")));
    }
}
