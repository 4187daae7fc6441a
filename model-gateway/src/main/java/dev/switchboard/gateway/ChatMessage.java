package dev.switchboard.gateway;

import java.util.Locale;
import java.util.Objects;

/**
 * One message of a chat request.
 *
 * @param role    who speaks
 * @param content the text; never null (may be empty for an assistant turn)
 */
public record ChatMessage(Role role, String content) {

    /** The speaker of a message. {@code developer} (OpenAI's newer name) is read as {@link #SYSTEM}. */
    public enum Role {
        SYSTEM, USER, ASSISTANT;

        /** The lower-case name used on every provider's wire. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses a wire role name.
         *
         * @throws GatewayException.InvalidRequest naming {@code field} when the role is unknown
         */
        public static Role parse(String value, String field) {
            if (value != null) {
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "system", "developer" -> { return SYSTEM; }
                    case "user" -> { return USER; }
                    case "assistant" -> { return ASSISTANT; }
                    default -> { }
                }
            }
            throw new GatewayException.InvalidRequest(field,
                    field + " must be one of system, developer, user, assistant (was " + value + ")");
        }
    }

    public ChatMessage {
        if (role == null) {
            throw new GatewayException.InvalidRequest("role", "role must not be null");
        }
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
