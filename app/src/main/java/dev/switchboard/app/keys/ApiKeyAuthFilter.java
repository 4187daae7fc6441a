package dev.switchboard.app.keys;

import dev.switchboard.app.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <key>} on the protected path prefixes and leaves the
 * {@link Caller} in the request attribute {@link Caller#ATTRIBUTE}; anything else gets 401
 * problem+json before a handler (or the body) is touched.
 */
final class ApiKeyAuthFilter extends OncePerRequestFilter {

    private final ApiKeyAuthenticator keys;
    private final ProblemWriter problems;
    private final List<String> protectedPrefixes;

    ApiKeyAuthFilter(ApiKeyAuthenticator keys, ProblemWriter problems, List<String> protectedPrefixes) {
        this.keys = keys;
        this.problems = problems;
        this.protectedPrefixes = List.copyOf(protectedPrefixes);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String prefix : protectedPrefixes) {
            if (path.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            problems.unauthorized(request, response, "An API key is required: send 'Authorization: Bearer <key>'");
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            problems.unauthorized(request, response, "The Authorization header must be 'Bearer <key>'");
            return;
        }
        Optional<Caller> caller = keys.authenticate(header.substring(7).strip());
        if (caller.isEmpty()) {
            problems.unauthorized(request, response, "The API key is unknown or revoked");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
