package dev.switchboard.app.gateway;

import dev.switchboard.app.secrets.SealedColumn;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's sealed columns, for master-key rotation: workspaces' own provider keys and endpoint keys. */
@Configuration(proxyBeanMethods = false)
class GatewaySecrets {

    @Bean
    SealedColumn sealedProviderCredentialKeys() {
        return new SealedColumn("provider_credentials", "api_key", List.of("workspace_id", "provider"),
                row -> ProviderCredentialStore.context((UUID) row.get("workspace_id"), (String) row.get("provider")));
    }

    @Bean
    SealedColumn sealedWorkspaceEndpointKeys() {
        return new SealedColumn("workspace_providers", "api_key", List.of("workspace_id", "name"),
                row -> WorkspaceProviderStore.context((UUID) row.get("workspace_id"), (String) row.get("name")));
    }
}
