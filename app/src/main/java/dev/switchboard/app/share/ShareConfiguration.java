package dev.switchboard.app.share;

import dev.switchboard.app.secrets.SecretBox;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/** Wires the share-page feature: its helpers, its security headers, its static assets. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ShareProperties.class)
class ShareConfiguration implements WebMvcConfigurer {

    @Bean
    PasscodeHasher sharePasscodeHasher(ShareProperties properties) {
        return new PasscodeHasher(properties.passcodeIterations(), new SecureRandom());
    }

    @Bean
    PasscodeGrants sharePasscodeGrants(SecretBox box) {
        return new PasscodeGrants(box);
    }

    @Bean
    ShareRateLimiter shareRateLimiter(ShareProperties properties, Clock clock) {
        return new ShareRateLimiter(properties.limits(), clock);
    }

    @Bean
    ShareAccess shareAccess(ShareLinks links, PasscodeHasher passcodes, PasscodeGrants grants,
            ShareRateLimiter limiter, ShareProperties properties, Clock clock) {
        return new ShareAccess(links, passcodes, grants, limiter, properties, clock);
    }

    @Bean
    SharePages sharePages(JsonMapper json) {
        return new SharePages(json);
    }

    /** Before the body-size filter, so even a refused oversized request carries the headers. */
    @Bean
    FilterRegistrationBean<ShareHeadersFilter> shareHeadersFilter() {
        FilterRegistrationBean<ShareHeadersFilter> registration = new FilterRegistrationBean<>(new ShareHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** share.css and share.js; pages link them with a content fingerprint, so they may be cached for long. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(SharePages.ASSETS + "/**")
                .addResourceLocations("classpath:/share/static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
