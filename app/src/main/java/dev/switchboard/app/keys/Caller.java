package dev.switchboard.app.keys;

import dev.switchboard.app.web.ApiException;
import java.util.UUID;

/**
 * Who is calling: the authenticated key and its workspace. Controllers take it as a parameter
 * (resolved from the request by {@link CallerArgumentResolver}); every query is scoped by
 * {@link #workspaceId()}.
 */
public record Caller(UUID workspaceId, UUID keyId, KeyRole role, boolean defaultWorkspace) {

    /** Request attribute under which {@link ApiKeyAuthFilter} leaves the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        if (workspaceId == null || keyId == null || role == null) {
            throw new IllegalArgumentException("workspaceId, keyId and role are required");
        }
    }

    /** @throws ApiException 403 when this key's role does not include {@code needed} */
    public Caller require(KeyRole needed) {
        if (!role.includes(needed)) {
            throw ApiException.forbidden("This API key has role '" + role.wire() + "'; this operation needs '"
                    + needed.wire() + "'");
        }
        return this;
    }
}
