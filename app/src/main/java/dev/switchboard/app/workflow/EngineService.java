package dev.switchboard.app.workflow;

import java.util.Objects;

/**
 * Declare a bean of this type to make a service available to node executors through
 * {@code NodeContext.service(type)} (e.g. an SMS sender for the {@code sms} node kind).
 */
public record EngineService<T>(Class<T> type, T service) {
    public EngineService {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(service, "service");
        if (!type.isInstance(service)) {
            throw new IllegalArgumentException("service is not a " + type.getName());
        }
    }
}
