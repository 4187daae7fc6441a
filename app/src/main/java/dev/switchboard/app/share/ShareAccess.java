package dev.switchboard.app.share;

import dev.switchboard.app.share.ShareLinkStore.PublicLink;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Who may use a share link: anyone holding a working token, and for a link with a passcode only
 * a browser holding a grant cookie ({@link PasscodeGrants}) or a program sending the passcode in
 * {@value #PASSCODE_HEADER}. Wrong passcodes are limited per client before any hashing; unknown
 * tokens cost the same hashing as known ones when a passcode is offered.
 */
final class ShareAccess {

    static final String PASSCODE_HEADER = "X-Share-Passcode";

    /** The outcome of entering a passcode on the page. */
    sealed interface Unlock {
        /** No passcode needed: go to the page. */
        record Open() implements Unlock {
        }

        record Granted(String cookie) implements Unlock {
        }

        record Wrong() implements Unlock {
        }
    }

    private final ShareLinks links;
    private final PasscodeHasher passcodes;
    private final PasscodeGrants grants;
    private final ShareRateLimiter limiter;
    private final ShareProperties properties;
    private final Clock clock;

    ShareAccess(ShareLinks links, PasscodeHasher passcodes, PasscodeGrants grants, ShareRateLimiter limiter,
            ShareProperties properties, Clock clock) {
        this.links = links;
        this.passcodes = passcodes;
        this.grants = grants;
        this.limiter = limiter;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The working link of {@code token}.
     *
     * @throws Refusal.Refused not found, after the dummy hashing when {@code passcode} was offered
     */
    PublicLink open(String token, String passcode) {
        Optional<PublicLink> link = links.open(token);
        if (link.isEmpty()) {
            if (passcode != null) {
                passcodes.verifyNothing();
            }
            throw new Refusal.NotFound().toException();
        }
        return link.get();
    }

    /** Whether the request may use {@code link} without asking for the passcode. */
    boolean unlocked(PublicLink link, HttpServletRequest request) {
        return link.passcodeHash() == null
                || grants.valid(cookie(request), link.appId(), link.passcodeHash(), clock.instant());
    }

    /**
     * Lets the request through or refuses it: a grant cookie, else the passcode header.
     *
     * @throws Refusal.Refused passcode required (403) or, past the client's wrong-passcode budget, rate limited
     */
    void authorize(PublicLink link, HttpServletRequest request, String client) {
        if (unlocked(link, request)) {
            return;
        }
        String offered = request.getHeader(PASSCODE_HEADER);
        if (offered == null) {
            throw new Refusal.PasscodeRequired(false).toException();
        }
        if (!check(link, offered, client)) {
            throw new Refusal.PasscodeRequired(true).toException();
        }
    }

    /** The page's passcode form. */
    Unlock unlock(PublicLink link, String passcode, String client) {
        if (link.passcodeHash() == null) {
            return new Unlock.Open();
        }
        if (!check(link, passcode == null ? "" : passcode, client)) {
            return new Unlock.Wrong();
        }
        Instant expires = clock.instant().plus(properties.passcodeSession());
        return new Unlock.Granted(grants.issue(link.appId(), link.passcodeHash(), expires));
    }

    private boolean check(PublicLink link, String passcode, String client) {
        limiter.passcodeAttempt(client).ifPresent(limited -> {
            throw new Refusal.RateLimited(limited.retryAfter()).toException();
        });
        boolean ok = passcode.length() <= ShareSettingsController.MAX_PASSCODE * 2
                ? passcodes.verify(passcode, link.passcodeHash())
                : passcodes.verifyNothing();
        if (ok) {
            limiter.passcodeAccepted(client);
        }
        return ok;
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (PasscodeGrants.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }
}
