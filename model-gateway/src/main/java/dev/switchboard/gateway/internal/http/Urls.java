package dev.switchboard.gateway.internal.http;

import java.net.URI;
import java.util.regex.Pattern;

/** Joins configured base URLs with API paths, accepting bases with or without the version segment. */
public final class Urls {

    private static final Pattern ENDS_WITH_VERSION = Pattern.compile(".*/v\\d+[a-z0-9]*$");

    private Urls() {
    }

    /**
     * {@code base} + {@code versionedPath} ({@code "v1/chat/completions"}); when {@code base} already ends with a
     * version segment ({@code http://host/v1}, {@code https://api.groq.com/openai/v1}) that segment replaces the
     * path's own.
     */
    public static URI api(URI base, String versionedPath) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        String path = versionedPath;
        if (ENDS_WITH_VERSION.matcher(base.getPath() == null ? "" : stripSlash(base.getPath())).matches()) {
            int slash = versionedPath.indexOf('/');
            path = slash < 0 ? "" : versionedPath.substring(slash + 1);
        }
        return URI.create(path.isEmpty() ? b : b + "/" + path);
    }

    /** {@code base} without a trailing version segment ({@code https://api.cohere.com/v2} → {@code https://api.cohere.com}). */
    public static URI root(URI base) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (ENDS_WITH_VERSION.matcher(stripSlash(base.getPath() == null ? "" : base.getPath())).matches()) {
            b = b.substring(0, b.lastIndexOf('/'));
        }
        return URI.create(b);
    }

    /** {@code true} when the base URL's path ends with a version segment. */
    public static boolean hasVersion(URI base) {
        return ENDS_WITH_VERSION.matcher(stripSlash(base.getPath() == null ? "" : base.getPath())).matches();
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
