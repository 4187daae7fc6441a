package dev.switchboard.app.outbound;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code http}: calls an external HTTP API through the {@link OutboundGuard} and exposes the answer
 * to later nodes.
 *
 * <p>Config: {@code url} (template, required; http/https, public destinations unless the operator
 * allows more), {@code method} (GET, POST, PUT, PATCH, DELETE, HEAD; default GET), {@code query}
 * (object of name → template, values URL-encoded and appended), {@code headers} (object of name →
 * template), {@code body} (a template string, or a JSON object/array whose strings may hold
 * templates — sent as {@code application/json}), {@code contentType}, {@code responseType}
 * ({@code auto} | {@code json} | {@code text}), {@code followRedirects} (default true; at most
 * {@code switchboard.outbound.max-redirects} hops, each checked by the guard again),
 * {@code maxResponseBytes} (at most {@code switchboard.outbound.max-response-size}),
 * {@code failOnStatus} (default true: a non-2xx answer fails the node, retriable for 408, 429 and 5xx).
 * The engine's {@code timeout}, {@code retry} and {@code onError} apply as for every node.
 *
 * <p>Outputs: {@code status}, {@code ok} (2xx), {@code headers} (lower-case names), {@code text}
 * (the body decoded), {@code json} (the parsed body when it is JSON), {@code url} (after redirects).
 * Requests other than GET and HEAD run once per run and node ({@code SideEffects}) and carry an
 * {@code Idempotency-Key: <run>:<node>:http} header unless the node sets one.
 */
@Component
public class HttpNodeKind implements NodeKind {

    static final String TYPE = "http";
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final int MAX_HEADERS = 50;

    /** How the response body is exposed. */
    enum ResponseType { AUTO, JSON, TEXT }

    private final OutboundHttp http;
    private final OutboundProperties properties;
    private final JsonMapper json;

    HttpNodeKind(OutboundHttp http, OutboundProperties properties, JsonMapper json) {
        this.http = http;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("status", "ok", "headers", "text", "json", "url"));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        String method = c.optionalText("method").map(m -> m.strip().toUpperCase(Locale.ROOT)).orElse("GET");
        if (!METHODS.contains(method)) {
            c.problem("method", ValidationProblem.INVALID_CONFIG, "'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD.");
        }
        Template url = c.requiredText("url").map(u -> {
            checkLiteralUrl(c, u);
            return c.template("url", u);
        }).orElse(null);
        Map<String, Template> query = templates(c, "query", false);
        Map<String, Template> headers = templates(c, "headers", true);
        Optional<String> contentType = c.optionalText("contentType").map(String::strip);
        contentType.ifPresent(t -> {
            if (t.isEmpty() || t.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                c.problem("contentType", ValidationProblem.INVALID_CONFIG, "'contentType' must be a media type such as application/json.");
            }
        });
        HttpCall.Body body = body(c, method, contentType.orElse(null));
        ResponseType responseType = c.optionalText("responseType").map(t -> responseType(c, t)).orElse(ResponseType.AUTO);
        boolean follow = c.optionalBoolean("followRedirects").orElse(true);
        int maxBytes = c.optionalInt("maxResponseBytes", 1, (int) properties.maxResponseSize().toBytes())
                .orElse((int) properties.maxResponseSize().toBytes());
        boolean failOnStatus = c.optionalBoolean("failOnStatus").orElse(true);
        if (c.hasProblems() || url == null || responseType == null) {
            return null;
        }
        return new HttpCall(http, json, new HttpCall.Spec(method, url, query, headers, body, responseType,
                follow ? properties.maxRedirects() : 0, maxBytes, failOnStatus, properties.timeout()));
    }

    /**
     * What is fixed in the URL is checked now: all of it without templates, else the scheme and host when
     * they come before the first template (syntax, and the address when it is a literal). The rest, and
     * every host name, is checked when the node runs.
     */
    private void checkLiteralUrl(NodeCompiler c, String url) {
        String fixed = url.strip();
        int template = fixed.indexOf("{{");
        if (template >= 0) {
            int schemeEnd = fixed.indexOf("://");
            int authorityEnd = -1;
            for (int i = schemeEnd + 3; schemeEnd > 0 && i < template && authorityEnd < 0; i++) {
                authorityEnd = "/?#".indexOf(fixed.charAt(i)) >= 0 ? i : -1;
            }
            if (authorityEnd < 0) {
                return;
            }
            fixed = fixed.substring(0, authorityEnd) + "/";
        }
        try {
            http.guard().checkWithoutLookup(fixed);
        } catch (OutboundRefusedException e) {
            c.problem("url", "outbound_refused", "'url' is not allowed: " + e.reason());
        }
    }

    private static Map<String, Template> templates(NodeCompiler c, String key, boolean headerNames) {
        Map<String, Template> out = new LinkedHashMap<>();
        Optional<JsonNode> value = c.value(key);
        if (value.isEmpty()) {
            return out;
        }
        if (!value.get().isObject()) {
            c.problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be an object of name → text.");
            return out;
        }
        if (value.get().size() > MAX_HEADERS) {
            c.problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' may have at most " + MAX_HEADERS + " entries.");
            return out;
        }
        for (Map.Entry<String, JsonNode> e : value.get().properties()) {
            String name = e.getKey();
            String field = key + "." + name;
            if (headerNames && !HEADER_NAME.matcher(name).matches()) {
                c.problem(field, ValidationProblem.INVALID_CONFIG, "'" + name + "' is not a valid header name.");
            } else if (headerNames && OutboundHttp.RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                c.problem(field, ValidationProblem.INVALID_CONFIG, "the header '" + name + "' is set by the client and may not be given.");
            } else if (!headerNames && name.isEmpty()) {
                c.problem(field, ValidationProblem.INVALID_CONFIG, "query parameter names may not be empty.");
            } else if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                c.problem(field, ValidationProblem.INVALID_CONFIG, "'" + field + "' must be text.");
            } else {
                out.put(name, c.template(field, e.getValue().asString()));
            }
        }
        return out;
    }

    private static HttpCall.Body body(NodeCompiler c, String method, String contentType) {
        Optional<JsonNode> value = c.value("body");
        if (value.isEmpty()) {
            return null;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            c.problem("body", ValidationProblem.INVALID_CONFIG, "a " + method + " request has no body; use POST, PUT or PATCH.");
            return null;
        }
        JsonNode node = value.get();
        if (node.isObject() || node.isArray()) {
            return new HttpCall.Body(c.jsonTemplate("body", node.toString()), contentType == null ? "application/json" : contentType);
        }
        if (!node.isString()) {
            c.problem("body", ValidationProblem.INVALID_CONFIG, "'body' must be text or a JSON object/array.");
            return null;
        }
        boolean jsonType = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
        Template t = jsonType ? c.jsonTemplate("body", node.asString()) : c.template("body", node.asString());
        return new HttpCall.Body(t, contentType);
    }

    private static ResponseType responseType(NodeCompiler c, String value) {
        try {
            return ResponseType.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            c.problem("responseType", ValidationProblem.INVALID_CONFIG, "'responseType' must be \"auto\", \"json\" or \"text\".");
            return null;
        }
    }
}
