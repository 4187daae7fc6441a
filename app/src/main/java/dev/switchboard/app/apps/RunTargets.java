package dev.switchboard.app.apps;

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

/**
 * Resolves which compiled graph a run executes. On the hot path: one indexed read of the app's
 * head (latest version, draft revision), then the compiled-graph cache; graph JSON is read only
 * the first time a version/revision runs in this process.
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

    RunTargets(JdbcClient jdbc, Graphs graphs) {
        this.jdbc = jdbc;
        this.graphs = graphs;
    }

    private record Head(Integer latestVersion, int draftRevision) {
    }

    /**
     * @param allowDraft whether the draft may run (true only for the authenticated API; share pages
     *     and webhooks run published versions only)
     * @throws ApiException 404 when the app, the version, or (drafts not allowed) a published version is missing
     */
    public RunTarget resolve(UUID workspaceId, UUID appId, VersionSelector selector, boolean allowDraft) {
        Head head = jdbc.sql("SELECT latest_version, draft_revision FROM apps WHERE id = ? AND workspace_id = ?")
                .param(appId).param(workspaceId)
                .query((rs, n) -> new Head((Integer) rs.getObject(1), rs.getInt(2)))
                .optional()
                .orElseThrow(() -> ApiException.notFound("app", appId));
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
                .orElseThrow(() -> ApiException.notFound("version", version).with("appId", appId));
        return new RunTarget(workspaceId, appId, version, 0, graph);
    }

    private RunTarget draft(UUID workspaceId, UUID appId, int revision) {
        Optional<CompiledGraph> graph = graphs.compiled(GraphKey.draft(appId, revision), () -> jdbc
                .sql("SELECT draft_graph::text FROM apps WHERE id = ? AND draft_revision = ?")
                .param(appId).param(revision).query(String.class).optional());
        if (graph.isPresent()) {
            return new RunTarget(workspaceId, appId, null, revision, graph.get());
        }
        // the draft changed between the two reads: run the newest revision
        Head head = jdbc.sql("SELECT latest_version, draft_revision FROM apps WHERE id = ? AND workspace_id = ?")
                .param(appId).param(workspaceId)
                .query((rs, n) -> new Head((Integer) rs.getObject(1), rs.getInt(2)))
                .optional()
                .orElseThrow(() -> ApiException.notFound("app", appId));
        return draft(workspaceId, appId, head.draftRevision());
    }
}
