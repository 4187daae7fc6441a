package dev.switchboard.app.apps;

import java.util.UUID;

/**
 * Consulted before a draft is published, outside any transaction and without locks (a guard may
 * take long: the test-suite gate runs the app's test cases). To refuse, throw an
 * {@link dev.switchboard.app.web.ApiException}; nothing is published then. Publishing an
 * unchanged draft (which returns the latest version) consults no guard.
 *
 * <p>The publish that follows publishes {@code draftRevision} only: if the draft changed while
 * guards ran, it is refused with 409 and the client publishes again.
 */
public interface PublishGuard {

    /**
     * @param draftRevision the draft revision about to be published
     * @param publishedBy the API key publishing, or null
     */
    void beforePublish(UUID workspaceId, UUID appId, int draftRevision, UUID publishedBy);
}
