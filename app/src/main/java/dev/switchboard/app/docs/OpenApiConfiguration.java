package dev.switchboard.app.docs;

import dev.switchboard.app.keys.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI switchboardOpenApi() {
        // the authenticated caller is resolved from the Authorization header, not a request parameter
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
        return new OpenAPI()
                .info(new Info().title("Switchboard API").version("v1")
                        .description("Build AI workflow apps (graphs of input, transform, condition, ai and output nodes), "
                                + "publish immutable versions and run them. Errors are RFC 9457 problem+json."))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("Authorization: Bearer <API key>")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
