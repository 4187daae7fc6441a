package dev.switchboard.app.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled whether the default workspace gets the sample app at first start
 * @param model the model ref its {@code ai} node calls ({@code provider/model})
 */
@ConfigurationProperties("switchboard.demo")
public record DemoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("openai/gpt-4o-mini") String model) {
    public DemoProperties {
        if (model == null || !model.contains("/")) {
            throw new IllegalArgumentException("switchboard.demo.model must be a provider/model reference, was '" + model + "'");
        }
    }
}
