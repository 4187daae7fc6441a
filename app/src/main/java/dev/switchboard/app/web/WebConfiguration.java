package dev.switchboard.app.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    /**
     * The API speaks JSON only. Libraries on the class path (Twilio's Jackson XML) would otherwise
     * make Spring answer {@code Accept: application/xml} with XML.
     */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(c -> c.getSupportedMediaTypes().stream()
                .anyMatch(t -> t.getSubtype().contains("xml") || t.getSubtype().contains("yaml"))));
    }

    /** Runs before authentication: an oversized body is refused without reading it. */
    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
            @Value("${switchboard.http.max-body-size:1MB}") DataSize maxBodySize, ProblemWriter problems) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(maxBodySize.toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * OpenAI SDKs percent-encode a model id in the path ({@code /v1/models/app%2F<id>}); Tomcat's
     * default answers any {@code %2F} with a bare 400. Pass it through undecoded: Spring matches
     * the encoded segment and hands {@code {*id}} its decoded value, while Tomcat's own path
     * normalisation never sees a decoded slash (no traversal through {@code %2F..%2F}).
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashPassthrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
