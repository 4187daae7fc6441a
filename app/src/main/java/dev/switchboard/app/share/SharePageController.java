package dev.switchboard.app.share;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.RunTarget;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.runs.RunProperties;
import dev.switchboard.app.runs.RunService;
import dev.switchboard.app.runs.RunSource;
import dev.switchboard.app.runs.RunStart;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.share.ShareLinkStore.PublicLink;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.ClientAddress;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.app.web.PublicBaseUrl;
import dev.switchboard.engine.InputCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public share page: {@code GET /s/{token}} (the form), {@code POST /s/{token}/run} (form
 * post → result page; JSON {@code {"inputs": {...}}} → {@link PublicResult}; with
 * {@code Accept: text/event-stream} → run/token/done events), {@code POST /s/{token}/unlock}
 * (passcode), {@code GET /s/{token}/graph.svg} (when the owner shows the graph).
 *
 * <p>Only the version published when the link was opened runs, with only its declared inputs.
 * Refusals ({@link Refusal}) are HTML pages for browsers and problem+json for programs.
 */
@RestController
@Tag(name = "Share pages", description = "Public pages of shared apps (no API key): form, runs, passcode, picture")
class SharePageController {

    private static final Logger log = LoggerFactory.getLogger(SharePageController.class);
    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);
    private static final Pattern SHARE_PATH = Pattern.compile("^/s/([A-Za-z0-9_-]{1,64})/.*");

    private final ShareAccess access;
    private final ShareRateLimiter limiter;
    private final ClientAddress clients;
    private final RunTargets targets;
    private final RunService runs;
    private final SharePages pages;
    private final ShareProperties properties;
    private final RunProperties runProperties;
    private final PublicBaseUrl baseUrl;
    private final JsonMapper json;
    private final MeterRegistry meters;

    SharePageController(ShareAccess access, ShareRateLimiter limiter, ClientAddress clients, RunTargets targets,
            RunService runs, SharePages pages, ShareProperties properties, RunProperties runProperties,
            PublicBaseUrl baseUrl, JsonMapper json, MeterRegistry meters) {
        this.meters = meters;
        this.access = access;
        this.limiter = limiter;
        this.clients = clients;
        this.targets = targets;
        this.runs = runs;
        this.pages = pages;
        this.properties = properties;
        this.runProperties = runProperties;
        this.baseUrl = baseUrl;
        this.json = json;
    }

    @GetMapping(value = "/s/{token}", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "The share page (HTML): the app's form, or the passcode form")
    ResponseEntity<String> page(@PathVariable String token, HttpServletRequest request) {
        throttle(request);
        PublicLink link = access.open(token, null);
        if (!access.unlocked(link, request)) {
            return html(HttpStatus.OK, pages.passcode(token, false));
        }
        ShareForm form = ShareForm.of(target(link).graph());
        return html(HttpStatus.OK, pages.page(model(token, link, form, form.defaults(json), Map.of(), null, null)));
    }

    @PostMapping("/s/{token}/unlock")
    @Operation(summary = "Enter the passcode (form field passcode): 303 to the page with a grant cookie, 403 when wrong")
    ResponseEntity<String> unlock(@PathVariable String token, HttpServletRequest request) {
        String client = throttle(request);
        String passcode = passcodeParameter(readBody(request, 4096));
        PublicLink link = access.open(token, passcode == null ? "" : passcode);
        return switch (access.unlock(link, passcode, client)) {
            case ShareAccess.Unlock.Open open -> seeOther(token).build();
            case ShareAccess.Unlock.Wrong wrong -> html(HttpStatus.FORBIDDEN, pages.passcode(token, true));
            case ShareAccess.Unlock.Granted granted -> seeOther(token)
                    .header(HttpHeaders.SET_COOKIE, ResponseCookie.from(PasscodeGrants.COOKIE, granted.cookie())
                            .path("/s/" + token).httpOnly(true).secure(request.isSecure() || baseUrl.secure())
                            .sameSite("Lax").maxAge(properties.passcodeSession()).build().toString())
                    .build();
        };
    }

    /** Someone re-opened a result page's address (a form post's target): show the form. */
    @GetMapping("/s/{token}/run")
    @Hidden
    ResponseEntity<Void> runPage(@PathVariable String token) {
        return seeOther(token).build();
    }

    @PostMapping("/s/{token}/run")
    @Operation(summary = "Run the app's latest published version",
            description = "Body: a form post of the input fields, or JSON exactly {\"inputs\": {...}} (anything else "
                    + "is refused with 422). Answers the result page (form), {status, outputs, message, reference} "
                    + "(JSON), or with Accept: text/event-stream the events run, token ({node, text}) and done. "
                    + "A link with a passcode needs the grant cookie or the X-Share-Passcode header.")
    Object run(@PathVariable String token, HttpServletRequest request) {
        String client = throttle(request);
        PublicLink link = access.open(token, request.getHeader(ShareAccess.PASSCODE_HEADER));
        access.authorize(link, request, client);
        boolean jsonBody = isJson(request.getContentType());
        String body = readBody(request, properties.maxBodySize().toBytes());
        RunTarget target = target(link);
        ShareForm form = ShareForm.of(target.graph());
        ShareForm.Submission submission = jsonBody ? jsonSubmission(body) : form.fromForm(body, json);
        InputCheck check = target.graph().prepareInputs(submission.inputs());
        Map<String, String> errors = new LinkedHashMap<>(submission.errors());
        form.messages(check.problems()).forEach(errors::putIfAbsent);
        if (!errors.isEmpty() || !check.valid()) {
            if (jsonBody) {
                throw invalidInputs(check);
            }
            return html(HttpStatus.UNPROCESSABLE_CONTENT, pages.page(model(token, link, form, submission.echo(), errors,
                    "Please check the highlighted " + (errors.size() == 1 ? "field." : "fields."), null)));
        }
        limiter.run(client, link.appId().toString()).ifPresent(limited -> {
            throw new Refusal.RateLimited(limited.retryAfter()).toException();
        });
        RunStart start = new RunStart(link.workspaceId(), link.appId(), new VersionSelector.Exact(link.version()), false,
                submission.inputs(), Map.of(), RunSource.SHARE, null);
        List<String> outputOrder = target.graph().outputNames();
        if (wantsStream(request)) {
            SseEmitter emitter = new SseEmitter(runProperties.deadline().plusMinutes(1).toMillis());
            try {
                runs.runStreaming(start, new ShareStreamSink(emitter,
                        StreamableNodes.of(target.graph().definition()), outputOrder));
            } catch (ApiException e) {
                throw translate(e, check);
            }
            return ResponseEntity.ok().header("X-Accel-Buffering", "no").body(emitter);
        }
        RunView run;
        try {
            run = runs.runSync(start);
        } catch (ApiException e) {
            throw translate(e, check);
        }
        PublicResult result = PublicResult.of(run, outputOrder);
        if (jsonBody || !wantsHtml(request)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result);
        }
        return html(HttpStatus.OK, pages.page(model(token, link, form, submission.echo(), Map.of(), null, result)));
    }

    @GetMapping(value = "/s/{token}/graph.svg", produces = "image/svg+xml")
    @Operation(summary = "The app's graph as SVG, when its owner shows it on the share page")
    ResponseEntity<String> graph(@PathVariable String token, HttpServletRequest request) {
        String client = throttle(request);
        PublicLink link = access.open(token, null);
        if (!link.showGraph()) {
            throw new Refusal.NotFound().toException();
        }
        access.authorize(link, request, client);
        String svg = GraphSvg.render(target(link).graph().definition(),
                new GraphSvg.Options("How " + link.name() + " works", false));
        return ResponseEntity.ok().contentType(new MediaType("image", "svg+xml", StandardCharsets.UTF_8)).body(svg);
    }

    @ExceptionHandler(Refusal.Refused.class)
    ResponseEntity<?> refused(Refusal.Refused e, HttpServletRequest request) {
        meters.counter("switchboard.share.refusals", "reason", e.refusal().getClass().getSimpleName()).increment();
        return ShareRefusals.render(e.refusal(), request, wantsHtml(request), pages, backLink(request));
    }

    /** What RunService refused after our own checks (e.g. 503: a finished run could not be stored). */
    @ExceptionHandler(ApiException.class)
    ResponseEntity<?> apiRefused(ApiException e, HttpServletRequest request) {
        return ShareRefusals.serviceError(e, wantsHtml(request), pages);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<?> unexpected(Exception e, HttpServletRequest request) {
        String errorId = java.util.UUID.randomUUID().toString();
        log.error("Unexpected error {} on a share page", errorId, e);
        return ShareRefusals.internalError(errorId, wantsHtml(request), pages);
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Counts the request against the client's budget; returns the client's address. */
    private String throttle(HttpServletRequest request) {
        String client = clients.of(request);
        limiter.request(client).ifPresent(limited -> {
            throw new Refusal.RateLimited(limited.retryAfter()).toException();
        });
        return client;
    }

    private RunTarget target(PublicLink link) {
        try {
            return targets.resolve(link.workspaceId(), link.appId(), new VersionSelector.Exact(link.version()), false);
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw new Refusal.NotFound().toException(); // deleted meanwhile
            }
            throw e;
        }
    }

    private SharePages.PageModel model(String token, PublicLink link, ShareForm form, Map<String, String> values,
            Map<String, String> errors, String formError, PublicResult result) {
        String graphUrl = link.showGraph() ? "/s/" + token + "/graph.svg" : null;
        String graphAlt = link.showGraph() ? "Diagram of this app: " + GraphSvg.describe(GraphLayout.of(
                target(link).graph().definition())) : null;
        return new SharePages.PageModel(token, link.name(), link.description(), link.version(), form, values, errors,
                formError, result, graphUrl, graphAlt);
    }

    private ShareForm.Submission jsonSubmission(String body) {
        JsonNode tree;
        try {
            tree = json.readTree(body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            throw new Refusal.NotAccepted("The body is not valid JSON", List.of()).toException();
        }
        return new ShareForm.Submission(ShareForm.fromJson(tree, json), Map.of(), Map.of());
    }

    private static Refusal.Refused invalidInputs(InputCheck check) {
        List<FieldProblem> problems = check.problems().stream()
                .map(p -> new FieldProblem(p.field() == null ? "inputs" : "inputs." + p.field(), p.code(), p.message()))
                .toList();
        return new Refusal.NotAccepted("The run inputs are invalid", problems).toException();
    }

    /** RunService refusals after our own checks passed: the version changed meanwhile, or it is gone. */
    private static RuntimeException translate(ApiException e, InputCheck check) {
        if (e.status() == HttpStatus.NOT_FOUND) {
            return new Refusal.NotFound().toException();
        }
        if (e.status() == HttpStatus.UNPROCESSABLE_CONTENT) {
            return invalidInputs(check);
        }
        return e;
    }

    private String readBody(HttpServletRequest request, long limit) {
        if (request.getContentLengthLong() > limit) {
            throw new Refusal.TooLarge(limit).toException();
        }
        String contentType = request.getContentType();
        if (contentType != null && !isJson(contentType) && !isForm(contentType)) {
            throw new Refusal.UnsupportedMediaType(contentType).toException();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, limit + 1));
            if (bytes.length > limit) {
                throw new Refusal.TooLarge(limit).toException();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Refusal.TooLarge(limit).toException(); // the server-wide body limit stopped the stream
        }
    }

    private static String passcodeParameter(String body) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("passcode")) {
                try {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        return null;
    }

    private static boolean isJson(String contentType) {
        return mediaType(contentType) instanceof MediaType t && t.isCompatibleWith(MediaType.APPLICATION_JSON);
    }

    private static boolean isForm(String contentType) {
        return mediaType(contentType) instanceof MediaType t && t.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED);
    }

    private static MediaType mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            return MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }

    private static boolean wantsStream(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE);
    }

    /** Browsers (and plain form posts) get pages; JSON bodies, JSON or event-stream accepters get problem+json. */
    static boolean wantsHtml(HttpServletRequest request) {
        if (isJson(request.getContentType())) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank() || accept.contains("text/html")) {
            return true;
        }
        return !(accept.contains("json") || accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE));
    }

    private static String backLink(HttpServletRequest request) {
        var m = SHARE_PATH.matcher(request.getRequestURI());
        return m.matches() ? "/s/" + m.group(1) : null;
    }

    private static ResponseEntity.BodyBuilder seeOther(String token) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, "/s/" + token);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(HTML).body(body);
    }
}
