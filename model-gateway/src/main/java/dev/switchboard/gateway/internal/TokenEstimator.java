package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.ModelRequest;

/**
 * Token counts when a provider reports none (a cut stream, a server without usage) and for TPM reservations.
 * About four characters per token for English BPE vocabularies, plus a few tokens of framing per chat message;
 * counts marked {@code estimated}.
 */
public final class TokenEstimator {

    private static final int PER_MESSAGE_OVERHEAD = 4;

    private TokenEstimator() {
    }

    public static int text(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return Math.max(1, (text.length() + 3) / 4);
    }

    public static int input(ModelRequest request) {
        if (!request.isChat()) {
            return text(request.prompt());
        }
        int n = 3;
        for (ChatMessage m : request.messages()) {
            n += PER_MESSAGE_OVERHEAD + text(m.content());
        }
        return n;
    }
}
