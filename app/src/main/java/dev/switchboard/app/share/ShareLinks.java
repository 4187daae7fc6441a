package dev.switchboard.app.share;

import dev.switchboard.app.apps.AppPublishListener;
import dev.switchboard.app.apps.AppService;
import dev.switchboard.app.apps.AppViews.AppView;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.share.ShareLinkStore.LinkRow;
import dev.switchboard.app.share.ShareLinkStore.PublicLink;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.app.web.PublicBaseUrl;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Share links: one per app, minted by the app's first publish ({@link AppPublishListener}),
 * rotated, revoked, optionally protected by a passcode and an expiry. The public side finds a link
 * by its token's hash and only ever sees the latest <em>published</em> version.
 */
@Service
class ShareLinks implements AppPublishListener {

    /** A change of settings; absent fields stay as they are. */
    record SettingsChange(Optional<Optional<String>> passcode, Optional<Optional<Instant>> expiresAt,
            Optional<Boolean> showGraph) {
    }

    private final ShareLinkStore store;
    private final ShareTokens tokens;
    private final PasscodeHasher passcodes;
    private final SecretBox box;
    private final AppService apps;
    private final PublicBaseUrl baseUrl;
    private final TransactionTemplate tx;
    private final Clock clock;

    ShareLinks(ShareLinkStore store, ShareTokens tokens, PasscodeHasher passcodes, SecretBox box, AppService apps,
            PublicBaseUrl baseUrl, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.passcodes = passcodes;
        this.box = box;
        this.apps = apps;
        this.baseUrl = baseUrl;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Runs inside the publish transaction: the first publish mints the link (keeping settings
     * chosen before it); later publishes return the existing URL. A revoked link stays revoked
     * (publishing never re-shares what its owner switched off): no URL then.
     */
    @Override
    public Optional<String> onPublished(UUID workspaceId, UUID appId, int version) {
        Instant now = clock.instant();
        store.createIfAbsent(appId, workspaceId, now);
        LinkRow row = store.lock(workspaceId, appId).orElseThrow();
        if (row.tokenSealed() != null) {
            return Optional.of(url(appId, row.tokenSealed()));
        }
        if (row.revokedAt() != null) {
            return Optional.empty();
        }
        return Optional.of(issue(workspaceId, appId, now));
    }

    ShareSettings settings(UUID workspaceId, UUID appId) {
        AppView app = apps.get(workspaceId, appId);
        return store.find(workspaceId, appId).map(row -> view(row, app.latestVersion()))
                .orElseGet(() -> pending(appId, app.latestVersion()));
    }

    ShareSettings update(UUID workspaceId, UUID appId, SettingsChange change) {
        // the slow hash happens before the transaction, so no row lock is held meanwhile
        Optional<Optional<String>> passcodeHash = change.passcode().map(p -> p.map(passcodes::hash));
        change.expiresAt().flatMap(e -> e).ifPresent(expires -> {
            if (!expires.isAfter(clock.instant())) {
                throw ApiException.invalidFields("The share settings are invalid",
                        List.of(new FieldProblem("expiresAt", "out-of-range", "expiresAt must be in the future")));
            }
        });
        return tx.execute(status -> {
            AppView app = apps.get(workspaceId, appId);
            Instant now = clock.instant();
            store.createIfAbsent(appId, workspaceId, now);
            LinkRow row = store.lock(workspaceId, appId).orElseThrow();
            store.updateSettings(workspaceId, appId,
                    passcodeHash.isPresent() ? passcodeHash.get().orElse(null) : row.passcodeHash(),
                    change.expiresAt().isPresent() ? change.expiresAt().get().orElse(null) : row.expiresAt(),
                    change.showGraph().orElse(row.showGraph()), now);
            return view(store.find(workspaceId, appId).orElseThrow(), app.latestVersion());
        });
    }

    /** A new token (the old one stops working at once); also re-enables a revoked link. */
    ShareSettings rotate(UUID workspaceId, UUID appId) {
        return tx.execute(status -> {
            AppView app = apps.get(workspaceId, appId);
            if (app.latestVersion() == null) {
                throw ApiException.conflict("The app has no published version yet; publish it to create its share link")
                        .with("appId", appId);
            }
            Instant now = clock.instant();
            store.createIfAbsent(appId, workspaceId, now);
            store.lock(workspaceId, appId);
            issue(workspaceId, appId, now);
            return view(store.find(workspaceId, appId).orElseThrow(), app.latestVersion());
        });
    }

    /**
     * Switches sharing off: the page answers 404 from now on, and later publishes mint no new link
     * until the owner rotates. Idempotent.
     */
    void revoke(UUID workspaceId, UUID appId) {
        tx.executeWithoutResult(status -> {
            apps.get(workspaceId, appId);
            Instant now = clock.instant();
            store.createIfAbsent(appId, workspaceId, now); // revoked before the first publish: it stays off
            store.revoke(workspaceId, appId, now);
        });
    }

    /**
     * The link a token opens, when it works now: known, not revoked, not expired, and its app has a
     * published version. Anything else is indistinguishable from a token that never existed.
     */
    Optional<PublicLink> open(String token) {
        Optional<byte[]> hash = ShareTokens.hash(token);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.findByToken(hash.get())
                .filter(link -> link.version() != null)
                .filter(link -> link.expiresAt() == null || link.expiresAt().isAfter(now));
    }

    private String issue(UUID workspaceId, UUID appId, Instant now) {
        String token = tokens.mint();
        store.issueToken(workspaceId, appId, ShareTokens.sha256(token), box.seal(token, context(appId)), now);
        return baseUrl.resolve("/s/" + token);
    }

    private String url(UUID appId, String sealed) {
        return baseUrl.resolve("/s/" + box.open(sealed, context(appId)));
    }

    static String context(UUID appId) {
        return "share-token:" + appId;
    }

    private ShareSettings view(LinkRow row, Integer latestVersion) {
        Instant now = clock.instant();
        String status;
        if (row.revokedAt() != null) {
            status = "revoked";
        } else if (row.tokenSealed() == null) {
            status = "pending";
        } else if (row.expiresAt() != null && !row.expiresAt().isAfter(now)) {
            status = "expired";
        } else {
            status = "active";
        }
        return new ShareSettings(row.appId(), status, row.tokenSealed() == null ? null : url(row.appId(), row.tokenSealed()),
                row.passcodeHash() != null, row.expiresAt(), row.showGraph(), latestVersion, row.tokenIssuedAt(),
                row.revokedAt(), row.updatedAt());
    }

    private static ShareSettings pending(UUID appId, Integer latestVersion) {
        return new ShareSettings(appId, "pending", null, false, null, false, latestVersion, null, null, null);
    }
}
