package dev.switchboard.app.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.http.HttpUtility;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Twilio SDK's transport, on the JDK HTTP client, with three changes to the SDK's own:
 * <ul>
 *   <li>requests for {@code https://api.twilio.com} go to {@code switchboard.twilio.api-base-url}
 *       instead (a fake in tests, a proxy in odd networks); other hosts are left alone;</li>
 *   <li>no retries here: the SDK retries every 5xx three times, which can send a message twice
 *       when Twilio accepted it and then failed to answer. {@link SmsSender} decides instead;</li>
 *   <li>failures are told apart: connect failures throw {@link TwilioTransportException} with
 *       {@code surelyNotSent}, other I/O failures without; an error answer that is not Twilio's
 *       JSON is rewritten into it ({@code status}, {@code message}) so its HTTP status survives,
 *       and {@code Retry-After} is passed on in {@code details.retryAfter}.</li>
 * </ul>
 * The auth token is only ever in the {@code Authorization} header; nothing here logs.
 * Thread-safe: one instance serves every app.
 */
final class TwilioHttpClient extends com.twilio.http.HttpClient {

    private static final URI TWILIO_API = URI.create("https://api.twilio.com");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI base;
    private final Duration requestTimeout;

    /**
     * @param http the shared JDK client (connection pool), see {@link #newJdkClient}
     * @param requestTimeout how long one request may take, from sending to the whole answer
     */
    TwilioHttpClient(HttpClient http, URI base, Duration requestTimeout) {
        this.http = http;
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    /** HTTP/1.1, no redirects (credentials go only where configured), the given connect timeout. */
    static HttpClient newJdkClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        URI target = target(request);
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", HttpUtility.getUserAgentString(request.getUserAgentExtensions(), true))
                .header("X-Twilio-Client", "java-" + com.twilio.Twilio.VERSION);
        if (request.requiresAuthentication()) {
            builder.header("Authorization", request.getAuthString());
        }
        request.getHeaderParams().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
            builder.method(method.toString(), HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .method(method.toString(), HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new TwilioTransportException("could not connect to the Twilio API at " + hostOf(target) + ": "
                    + describe(e), true, e);
        } catch (IOException e) {
            throw new TwilioTransportException("no answer from the Twilio API at " + hostOf(target) + ": " + describe(e),
                    false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwilioTransportException("interrupted while waiting for the Twilio API", false, e);
        }
        return new Response(body(response), response.statusCode(), headers(response));
    }

    /** The SDK's URL with {@code https://api.twilio.com} replaced by the configured base. */
    URI target(Request request) {
        URI sdk;
        try {
            sdk = request.constructURL().toURI();
        } catch (URISyntaxException e) {
            throw new TwilioTransportException("the SDK built an invalid URL", true, e);
        }
        if (!TWILIO_API.getHost().equalsIgnoreCase(sdk.getHost()) || base.equals(TWILIO_API)) {
            return sdk;
        }
        String prefix = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        return URI.create(prefix + sdk.getRawPath() + (sdk.getRawQuery() == null ? "" : "?" + sdk.getRawQuery()));
    }

    /**
     * Error answers keep their status through the SDK only when they are Twilio's JSON error
     * object; anything else (a proxy's HTML 502, an empty 503) is rewritten into one.
     */
    private static String body(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status < 400) {
            return body;
        }
        ObjectNode error = errorObject(body);
        if (!error.path("status").isNumber()) {
            error.put("status", status);
        }
        if (!error.path("message").isString()) {
            error.put("message", "HTTP " + status + " from the Twilio API");
        }
        response.headers().firstValue("Retry-After").ifPresent(retryAfter -> {
            JsonNode details = error.get("details");
            ObjectNode d = details instanceof ObjectNode o ? o : JSON.createObjectNode();
            d.put("retryAfter", retryAfter);
            error.set("details", d);
        });
        return JSON.writeValueAsString(error);
    }

    private static ObjectNode errorObject(String body) {
        try {
            return JSON.readTree(body) instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (JacksonException e) {
            return JSON.createObjectNode();
        }
    }

    private static Header[] headers(HttpResponse<String> response) {
        List<Header> headers = new ArrayList<>();
        response.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(new BasicHeader(name, v))));
        return headers.toArray(Header[]::new);
    }

    private static String hostOf(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
