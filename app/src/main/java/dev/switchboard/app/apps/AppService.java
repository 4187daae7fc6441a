package dev.switchboard.app.apps;

import dev.switchboard.app.apps.AppViews.AppSummary;
import dev.switchboard.app.apps.AppViews.AppView;
import dev.switchboard.app.apps.AppViews.PublishResult;
import dev.switchboard.app.apps.AppViews.VersionSummary;
import dev.switchboard.app.apps.AppViews.VersionView;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.PageView;
import dev.switchboard.app.workflow.Graphs;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Apps: a mutable draft graph and immutable published versions. Every graph written is valid
 * (422 otherwise, nothing stored); every method is scoped by workspace, so another workspace's
 * app is indistinguishable from a missing one (404).
 */
@Service
public class AppService {

    /** Fields of a new app. */
    public record NewApp(String name, String description, JsonNode graph) {
    }

    /** A draft update; null fields stay as they are. */
    public record DraftChange(String name, String description, JsonNode graph) {
    }

    private final AppRepository apps;
    private final AppVersionRepository versions;
    private final Graphs graphs;
    private final Ids ids;
    private final Clock clock;
    private final ObjectProvider<AppPublishListener> publishListeners;
    private final RunTargets runTargets;
    private final ObjectProvider<PublishGuard> publishGuards;
    private final TransactionTemplate transactions;

    AppService(AppRepository apps, AppVersionRepository versions, Graphs graphs, Ids ids, Clock clock,
            ObjectProvider<AppPublishListener> publishListeners, RunTargets runTargets,
            ObjectProvider<PublishGuard> publishGuards, TransactionTemplate transactions) {
        this.publishGuards = publishGuards;
        this.transactions = transactions;
        this.runTargets = runTargets;
        this.apps = apps;
        this.versions = versions;
        this.graphs = graphs;
        this.ids = ids;
        this.clock = clock;
        this.publishListeners = publishListeners;
    }

    @Transactional
    public AppView create(UUID workspaceId, NewApp app) {
        graphs.requireValid(app.graph());
        AppEntity entity = new AppEntity(ids.next(), workspaceId, app.name(), app.description(),
                graphs.toJson(app.graph()), clock.instant());
        return view(apps.save(entity));
    }

    @Transactional(readOnly = true)
    public AppView get(UUID workspaceId, UUID appId) {
        return view(find(workspaceId, appId));
    }

    @Transactional(readOnly = true)
    public PageView<AppSummary> list(UUID workspaceId, int page, int size) {
        Page<AppEntity> result = apps.findByWorkspaceId(workspaceId,
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"))));
        return new PageView<>(result.getContent().stream().map(AppService::summary).toList(), page, size,
                result.getTotalElements(), result.getTotalPages());
    }

    /** Changes the draft (a new draft revision); published versions are untouched. */
    @Transactional
    public AppView update(UUID workspaceId, UUID appId, DraftChange change) {
        AppEntity app = apps.lockByIdAndWorkspaceId(appId, workspaceId)
                .orElseThrow(() -> ApiException.notFound("app", appId));
        if (change.graph() != null) {
            graphs.requireValid(change.graph());
            app.draftGraph = graphs.toJson(change.graph());
        }
        if (change.name() != null) {
            app.name = change.name();
        }
        if (change.description() != null) {
            app.description = change.description().isEmpty() ? null : change.description();
        }
        app.draftRevision++;
        app.updatedAt = clock.instant();
        runTargets.evictAfterCommit(appId);
        return view(apps.saveAndFlush(app));
    }

    /** Deletes the app, its versions and its runs. */
    @Transactional
    public void delete(UUID workspaceId, UUID appId) {
        AppEntity app = find(workspaceId, appId);
        apps.delete(app);
        apps.flush();
        runTargets.evictAfterCommit(appId);
        graphs.evict(appId);
    }

    /**
     * Publishes the current draft as the next version. Publishing a draft that is unchanged since
     * the latest version returns that version ({@code created: false}) instead of a duplicate.
     */
    public PublishResult publish(UUID workspaceId, UUID appId, UUID publishedBy) {
        int guarded = guard(workspaceId, appId, publishedBy); // outside the transaction: guards may take long
        return transactions.execute(status -> publishDraft(workspaceId, appId, publishedBy, guarded));
    }

    /** Runs every {@link PublishGuard} on the draft about to be published; the revision they passed, or 0 when none ran. */
    private int guard(UUID workspaceId, UUID appId, UUID publishedBy) {
        if (publishGuards.stream().findAny().isEmpty()) {
            return 0;
        }
        AppEntity app = find(workspaceId, appId);
        if (app.latestVersion != null && versions.findByAppIdAndVersion(appId, app.latestVersion)
                .filter(v -> v.draftRevision == app.draftRevision).isPresent()) {
            return 0; // unchanged: publishing returns the latest version
        }
        publishGuards.forEach(g -> g.beforePublish(workspaceId, appId, app.draftRevision, publishedBy));
        return app.draftRevision;
    }

    private PublishResult publishDraft(UUID workspaceId, UUID appId, UUID publishedBy, int guardedRevision) {
        AppEntity app = apps.lockByIdAndWorkspaceId(appId, workspaceId)
                .orElseThrow(() -> ApiException.notFound("app", appId));
        if (app.latestVersion != null) {
            AppVersionEntity latest = versions.findByAppIdAndVersion(appId, app.latestVersion).orElseThrow();
            if (latest.draftRevision == app.draftRevision) {
                return new PublishResult(appId, latest.version, latest.publishedAt, false,
                        shareUrl(workspaceId, appId, latest.version));
            }
        }
        if (guardedRevision != 0 && app.draftRevision != guardedRevision) {
            throw ApiException.conflict("The draft changed while it was checked for publishing (revision "
                    + guardedRevision + " was checked, " + app.draftRevision + " is current); publish again")
                    .with("appId", appId);
        }
        graphs.requireValid(graphs.fromJson(app.draftGraph)); // the engine may have become stricter
        int next = app.latestVersion == null ? 1 : app.latestVersion + 1;
        AppVersionEntity version = versions.save(new AppVersionEntity(app, next, clock.instant(), publishedBy));
        app.latestVersion = next;
        apps.flush();
        runTargets.evictAfterCommit(appId);
        return new PublishResult(appId, next, version.publishedAt, true, shareUrl(workspaceId, appId, next));
    }

    @Transactional(readOnly = true)
    public List<VersionSummary> versions(UUID workspaceId, UUID appId) {
        find(workspaceId, appId);
        return versions.findByAppIdOrderByVersionDesc(appId).stream()
                .map(v -> new VersionSummary(v.appId, v.version, v.name, v.draftRevision, v.publishedAt))
                .toList();
    }

    @Transactional(readOnly = true)
    public VersionView version(UUID workspaceId, UUID appId, int version) {
        find(workspaceId, appId);
        AppVersionEntity v = versions.findByAppIdAndVersion(appId, version)
                .orElseThrow(() -> ApiException.notFound("version", version).with("appId", appId));
        return new VersionView(v.appId, v.version, v.name, v.description, v.draftRevision, v.publishedAt,
                graphs.fromJson(v.graph));
    }

    private String shareUrl(UUID workspaceId, UUID appId, int version) {
        String url = null;
        for (AppPublishListener listener : publishListeners) {
            Optional<String> shareUrl = listener.onPublished(workspaceId, appId, version);
            if (shareUrl.isPresent()) {
                url = shareUrl.get();
            }
        }
        return url;
    }

    private AppEntity find(UUID workspaceId, UUID appId) {
        return apps.findByIdAndWorkspaceId(appId, workspaceId).orElseThrow(() -> ApiException.notFound("app", appId));
    }

    private AppView view(AppEntity e) {
        return new AppView(e.id, e.name, e.description, e.draftRevision, e.latestVersion, e.createdAt, e.updatedAt,
                graphs.fromJson(e.draftGraph));
    }

    private static AppSummary summary(AppEntity e) {
        return new AppSummary(e.id, e.name, e.description, e.draftRevision, e.latestVersion, e.createdAt, e.updatedAt);
    }
}
