package dev.switchboard.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Strict Content-Type on the JSON API: a request that carries a body must say it is JSON
 * ({@code application/json} or {@code application/*+json}), whether or not its endpoint reads one
 * — a form or text body is answered 415, never parsed some other way (the Content-Type confusion
 * behind n8n's webhook CVE). Bodiless requests ({@code POST .../publish} with no body) pass.
 * Registered for {@code /api/**} and {@code /v1/**}; Twilio webhooks declare their form type on
 * their handlers, share pages accept a form or JSON by design.
 */
final class JsonBodyInterceptor implements HandlerInterceptor {

    private static final List<MediaType> SUPPORTED = List.of(MediaType.APPLICATION_JSON);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        if (!(handler instanceof HandlerMethod) || !hasBody(request)) {
            return true;
        }
        String header = request.getContentType();
        if (header == null || header.isBlank()) {
            throw new HttpMediaTypeNotSupportedException(null, SUPPORTED, HttpMethod.valueOf(request.getMethod()));
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotSupportedException("Invalid Content-Type: " + e.getMessage());
        }
        if (!isJson(type)) {
            throw new HttpMediaTypeNotSupportedException(type, SUPPORTED, HttpMethod.valueOf(request.getMethod()));
        }
        return true;
    }

    static boolean isJson(MediaType type) {
        return "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }
}
