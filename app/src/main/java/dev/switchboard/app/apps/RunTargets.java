package dev.switchboard.app.apps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.app.workflow.Graphs;
import dev.switchboard.app.workflow.Graphs.GraphKey;
import dev.switchboard.engine.CompiledGraph;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Resolves which compiled graph a run executes. On the hot path: the app's head (latest
 * version, draft revision) from a short-lived cache ({@link AppProperties#headCacheTtl()},
 * evicted when this process changes the app) or one indexed read, then the compiled-graph cache;
 * graph JSON is read only the first time a version/revision runs in this process.
 */
@Component
public class RunTargets {

    /** Which version to run. */
    public sealed interface VersionSelector {
        /** The latest published version; the draft when none was published and drafts are allowed. */
        record Latest() implements VersionSelector {
        }

        record Draft() implements VersionSelector {
        }

        record Exact(int version) implements VersionSelector {
        }

        VersionSelector LATEST = new Latest();
        VersionSelector DRAFT = new Draft();

        /** Parses the API's {@code version}: absent, {@code "draft"}, {@code "latest"} or a number. */
        static VersionSelector parse(String value) {
            if (value == null || value.isBlank() || value.equalsIgnoreCase("latest")) {
                return LATEST;
            }
            if (value.equalsIgnoreCase("draft")) {
                return DRAFT;
            }
            try {
                int version = Integer.parseInt(value.strip());
                if (version >= 1) {
                    return new Exact(version);
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw ApiException.invalidFields("The request is invalid", List.of(new FieldProblem(
                    "version", "invalid", "version must be \"draft\", \"latest\" or a published version number >= 1")));
        }
    }

    /**
     * @param version the published version, or null when the draft runs
     * @param draftRevision the draft revision that runs (0 for a published version)
     */
    public record RunTarget(UUID workspaceId, UUID appId, Integer version, int draftRevision, CompiledGraph graph) {
    }

    private final JdbcClient jdbc;
    private final Graphs graphs;
    private final Cache<UUID, Head> heads;

    RunTargets(JdbcClient jdbc, Graphs graphs, AppProperties properties) {
        this.jdbc = jdbc;
        this.graphs = graphs;
        this.heads = Caffeine.newBuilder().expireAfterWrite(properties.headCacheTtl()).maximumSize(10_000).build();
    }

    private record Head(UUID workspaceId, Integer latestVersion, int draftRevision) {
    }

    /** Forgets the app's head once the current transaction commits (at once without one). */
    void evictAfterCommit(UUID appId) {
        heads.invalidate(appId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    heads.invalidate(appId);
                }
            });
        }
    }

    private Head head(UUID workspaceId, UUID appId) {
        Head head = heads.getIfPresent(appId);
        if (head == null) {
            head = jdbc.sql("SELECT workspace_id, latest_version, draft_revision FROM apps WHERE id = ?")
                    .param(appId)
                    .query((rs, n) -> new Head(rs.getObject(1, UUID.class), (Integer) rs.getObject(2), rs.getInt(3)))
                    .optional()
                    .orElseThrow(() -> ApiException.notFound("app", appId));
            heads.put(appId, head);
        }
        if (!head.workspaceId().equals(workspaceId)) {
            throw ApiException.notFound("app", appId);
        }
        return head;
    }

    /**
     * @param allowDraft whether the draft may run (true only for the authenticated API; share pages
     *     and webhooks run published versions only)
     * @throws ApiException 404 when the app, the version, or (drafts not allowed) a published version is missing
     */
    public RunTarget resolve(UUID workspaceId, UUID appId, VersionSelector selector, boolean allowDraft) {
        Head head = head(workspaceId, appId);
        return switch (selector) {
            case VersionSelector.Latest latest -> {
                if (head.latestVersion() != null) {
                    yield published(workspaceId, appId, head.latestVersion());
                }
                if (!allowDraft) {
                    throw ApiException.notFound("published app", appId);
                }
                yield draft(workspaceId, appId, head.draftRevision());
            }
            case VersionSelector.Draft draft -> {
                if (!allowDraft) {
                    throw ApiException.notFound("published app", appId);
                }
                yield draft(workspaceId, appId, head.draftRevision());
            }
            case VersionSelector.Exact exact -> published(workspaceId, appId, exact.version());
        };
    }

    private RunTarget published(UUID workspaceId, UUID appId, int version) {
        CompiledGraph graph = graphs.compiled(GraphKey.published(appId, version), () -> jdbc
                        .sql("SELECT graph::text FROM app_versions WHERE app_id = ? AND version = ?")
                        .param(appId).param(version).query(String.class).optional())
                .orElseThrow(() -> {
                    heads.invalidate(appId); // deleted meanwhile?
                    return ApiException.notFound("version", version).with("appId", appId);
                });
        return new RunTarget(workspaceId, appId, version, 0, graph);
    }

    private RunTarget draft(UUID workspaceId, UUID appId, int revision) {
        Optional<CompiledGraph> graph = graphs.compiled(GraphKey.draft(appId, revision), () -> jdbc
                .sql("SELECT draft_graph::text FROM apps WHERE id = ? AND draft_revision = ?")
                .param(appId).param(revision).query(String.class).optional());
        if (graph.isPresent()) {
            return new RunTarget(workspaceId, appId, null, revision, graph.get());
        }
        // the draft changed since the head was read: run the newest revision
        heads.invalidate(appId);
        return draft(workspaceId, appId, head(workspaceId, appId).draftRevision());
    }
}
