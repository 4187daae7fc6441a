package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import java.util.Objects;

/**
 * One field of the input node, e.g. for rendering a share-page form.
 *
 * @param defaultValue used when the field is missing or null (null = no default)
 * @param maxLength    maximum length in characters (code points) for text fields, or null
 * @param label        optional human label from the config ({@code label}), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputField(String name, Type type, boolean required, Object defaultValue, Integer maxLength,
                         String label) {

    public enum Type {
        TEXT, NUMBER, BOOLEAN, JSON;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public InputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
