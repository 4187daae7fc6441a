package dev.switchboard.app.twilio;

import dev.switchboard.app.secrets.SealedColumn;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Apps' Twilio auth tokens are sealed: re-sealed on master-key rotation. */
@Configuration(proxyBeanMethods = false)
class TwilioSecrets {

    @Bean
    SealedColumn sealedTwilioAuthTokens() {
        return new SealedColumn("twilio_settings", "auth_token", List.of("app_id"),
                row -> TwilioAccount.tokenContext((UUID) row.get("app_id")));
    }
}
