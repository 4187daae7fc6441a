package dev.switchboard.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.Secret;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpHelpersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        values.forEach((k, v) -> m.put(k, List.of(v)));
        return HttpHeaders.of(m, (a, b) -> true);
    }

    @Test
    void onlyAConnectionEndingBeforeTheAnswerIsResent() {
        // what the JDK client fails a POST with on a pooled connection the server had closed
        assertThat(HttpTransport.closedBeforeAnswer(new java.util.concurrent.CompletionException(new java.io.IOException(
                "HTTP/1.1 header parser received no bytes", new java.io.EOFException("EOF reached while reading")))))
                .isTrue();
        assertThat(HttpTransport.closedBeforeAnswer(new java.net.SocketException("Connection reset"))).isTrue();
        assertThat(HttpTransport.closedBeforeAnswer(new java.io.EOFException())).isTrue();
        assertThat(HttpTransport.closedBeforeAnswer(new java.net.ConnectException("Connection refused"))).isFalse();
        assertThat(HttpTransport.closedBeforeAnswer(new java.io.IOException("wrapped",
                new java.net.ConnectException("Connection refused")))).isFalse();
        assertThat(HttpTransport.closedBeforeAnswer(new java.net.http.HttpTimeoutException("request timed out")))
                .isFalse();
        assertThat(HttpTransport.closedBeforeAnswer(new java.io.IOException("too many open files"))).isFalse();
        assertThat(HttpTransport.closedBeforeAnswer(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void retryAfterReadsSecondsDatesMillisAndResetHeaders() {
        assertThat(RetryAfter.from(headers(Map.of("retry-after", "2")), CLOCK)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.from(headers(Map.of("retry-after", "Thu, 01 Jan 2026 00:00:45 GMT")), CLOCK))
                .contains(Duration.ofSeconds(45));
        assertThat(RetryAfter.from(headers(Map.of("retry-after-ms", "1500", "retry-after", "9")), CLOCK))
                .contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.from(headers(Map.of("x-ratelimit-reset-requests", "6m0s",
                "x-ratelimit-reset-tokens", "20ms")), CLOCK)).contains(Duration.ofMinutes(6));
        assertThat(RetryAfter.from(headers(Map.of("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:12Z")), CLOCK))
                .contains(Duration.ofSeconds(12));
        assertThat(RetryAfter.from(headers(Map.of("retry-after", "soon")), CLOCK)).isEmpty();
        assertThat(RetryAfter.goDuration("1h2m3.5s")).contains(Duration.ofMillis(3_723_500));
        assertThat(RetryAfter.goDuration("3 s")).isEmpty();
    }

    @Test
    void sseParserJoinsDataLinesSkipsCommentsAndDispatchesOnBlankLine() {
        List<String> got = new ArrayList<>();
        SseParser p = new SseParser((event, data) -> got.add(event + "|" + data));
        for (String line : List.of(": keep-alive", "event: message_start", "data: {\"a\":", "data: 1}", "",
                "data:no-space", "", "id: 7", "", "data: [DONE]")) {
            p.line(line);
        }
        p.finish();

        assertThat(got).containsExactly("message_start|{\"a\":\n1}", "null|no-space", "null|[DONE]");
    }

    @Test
    void urlsAcceptBasesWithAndWithoutVersion() {
        assertThat(Urls.api(URI.create("http://h:8000"), "v1/chat/completions"))
                .hasToString("http://h:8000/v1/chat/completions");
        assertThat(Urls.api(URI.create("http://h:8000/v1/"), "v1/chat/completions"))
                .hasToString("http://h:8000/v1/chat/completions");
        assertThat(Urls.api(URI.create("https://api.groq.com/openai/v1"), "v1/chat/completions"))
                .hasToString("https://api.groq.com/openai/v1/chat/completions");
        assertThat(Urls.root(URI.create("https://api.cohere.com/v2/"))).hasToString("https://api.cohere.com");
    }

    @Test
    void redactorRemovesTheKeyAndKeyShapedTokens() {
        Secret key = Secret.of("abcdefghijklmnopqrstuvwxyz012345");
        assertThat(Redactor.redact("bad key abcdefghijklmnopqrstuvwxyz012345 given", key)).isEqualTo("bad key **** given");
        assertThat(Redactor.redact("Incorrect API key provided: sk-proj-abc***********xyz.", null))
                .doesNotContain("sk-proj").contains("****");
        assertThat(Redactor.redact("header was Bearer eyJhbGciOi.J9", null)).isEqualTo("header was ****");
    }
}
