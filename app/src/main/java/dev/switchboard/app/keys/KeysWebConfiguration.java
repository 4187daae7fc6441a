package dev.switchboard.app.keys;

import dev.switchboard.app.web.ProblemWriter;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts API-key authentication in front of {@code /api/}. */
@Configuration(proxyBeanMethods = false)
class KeysWebConfiguration implements WebMvcConfigurer {

    /** Path prefixes that need a key. Later features add theirs here; {@code /v1/} is for the OpenAI-compatible API. */
    static final List<String> PROTECTED = List.of("/api/", "/v1/");

    @Bean
    FilterRegistrationBean<ApiKeyAuthFilter> apiKeyAuthFilter(ApiKeyAuthenticator keys, ProblemWriter problems) {
        FilterRegistrationBean<ApiKeyAuthFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyAuthFilter(keys, problems, PROTECTED));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }
}
