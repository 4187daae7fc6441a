package dev.switchboard.gateway.internal.local;

import dev.switchboard.gateway.ChatMessage;
import java.util.List;

/**
 * How chat messages become a prompt for a base model such as GPT-J, which has no chat template:
 * the system messages as a preamble, then one {@code User:} / {@code Assistant:} line per turn, ending
 * with {@code Assistant:} for the model to continue. Generation stops at the next {@code \nUser:}.
 */
final class ChatTranscript {

    /** Added to the request's stop sequences so the model does not write the user's next turn. */
    static final String STOP = "\nUser:";

    private ChatTranscript() {
    }

    static String render(List<ChatMessage> messages) {
        StringBuilder system = new StringBuilder();
        StringBuilder turns = new StringBuilder();
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM -> system.append(m.content().strip()).append("\n");
                case USER -> turns.append("User: ").append(m.content().strip()).append("\n");
                case ASSISTANT -> turns.append("Assistant: ").append(m.content().strip()).append("\n");
            }
        }
        if (!system.isEmpty()) {
            system.append("\n");
        }
        return system.append(turns).append("Assistant:").toString();
    }
}
