package dev.switchboard.gateway;

/**
 * A model the gateway can route to (for {@code GET /v1/models}).
 *
 * @param ref      {@code provider/model}; {@code provider/*} for a provider without allow-list
 * @param provider the configured provider name
 * @param model    the model name, or {@code *} when the provider accepts any model
 * @param type     the provider type ({@code openai}, {@code anthropic}, ...)
 */
public record ModelInfo(String ref, String provider, String model, String type) {

    public boolean wildcard() {
        return "*".equals(model);
    }
}
