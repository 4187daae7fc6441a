package dev.switchboard.app.twilio;

import com.twilio.security.RequestValidator;
import dev.switchboard.app.twilio.FormBody.MalformedFormException;
import dev.switchboard.app.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks a Twilio webhook before anything is stored or run, in this order: the app has Twilio
 * settings (else 404, the same answer for an app that does not exist, has no settings, or a
 * malformed id — nothing about other apps); the body is well-formed form data (else 400); the
 * {@code X-Twilio-Signature} is Twilio's HMAC-SHA1 over the public URL and every parameter, with
 * the app's auth token (SDK {@link RequestValidator}; else 403); the {@code AccountSid} is the
 * app's (else 403).
 */
@Component
class WebhookVerifier {

    private static final Logger log = LoggerFactory.getLogger(WebhookVerifier.class);

    /** Twilio's bodies are a few KiB at most (1,600 characters of text and ten media URLs). */
    static final int MAX_BODY = 64 * 1024;

    /** A webhook that passed: the app's settings, the parameters, and the base URL Twilio called. */
    record Verified(TwilioAccount account, Map<String, String> params, String baseUrl) {
    }

    private final TwilioAccounts accounts;
    private final PublicUrls urls;

    WebhookVerifier(TwilioAccounts accounts, PublicUrls urls) {
        this.accounts = accounts;
        this.urls = urls;
    }

    Verified verify(String appIdText, HttpServletRequest request) {
        TwilioAccount account = parseId(appIdText).flatMap(accounts::find).orElseThrow(WebhookVerifier::notFound);
        Map<String, String> params = params(request);
        String signature = request.getHeader("X-Twilio-Signature");
        String url = urls.urlOf(request);
        if (signature == null || signature.isBlank()) {
            throw forbidden("The X-Twilio-Signature header is missing");
        }
        if (!new RequestValidator(account.authToken()).validate(url, params, signature.strip())) {
            log.info("Rejected a Twilio webhook for app {}: the signature does not match {} (is switchboard.public-base-url"
                    + " the URL configured in Twilio?)", account.appId(), url);
            throw forbidden("The X-Twilio-Signature does not match this request (checked against " + url + ")");
        }
        String accountSid = params.get("AccountSid");
        if (accountSid != null && !accountSid.equals(account.accountSid())) {
            throw forbidden("The AccountSid is not this app's Twilio account");
        }
        return new Verified(account, params, urls.baseOf(request));
    }

    /** @throws ApiException 400 naming the first of {@code names} that is missing or blank */
    static void require(Map<String, String> params, String... names) {
        for (String name : names) {
            String value = params.get(name);
            if (value == null || value.isBlank()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed webhook",
                        "The webhook has no '" + name + "' parameter", Map.of());
            }
        }
    }

    private static Map<String, String> params(HttpServletRequest request) {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw malformed("The request body could not be read");
        }
        if (body.length > MAX_BODY) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
                    "A Twilio webhook body is at most " + MAX_BODY + " bytes", Map.of());
        }
        try {
            return FormBody.parse(body, FormBody.charsetOf(request.getContentType()));
        } catch (MalformedFormException e) {
            throw malformed(e.getMessage());
        }
    }

    private static Optional<UUID> parseId(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No Twilio webhook at this address",
                Map.of());
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "invalid-signature", "Forbidden", detail, Map.of());
    }

    private static ApiException malformed(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed webhook", detail, Map.of());
    }
}
