package dev.switchboard.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shallow, null-tolerant immutable copies for the value records of this package. */
final class Values {
    private Values() {
    }

    static <V> Map<String, V> copyMap(Map<String, ? extends V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
