package dev.switchboard.app.share;

import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passcodes and rate limits of share links, over plain HTTP. */
class ShareAccessIT extends IntegrationTest {

    ShareClient share;

    @BeforeEach
    void client() {
        share = new ShareClient(api);
    }

    private String protectedLink(String passcode) {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);
        assertThat(api.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", passcode)).status()).isEqualTo(200);
        return path;
    }

    private static String grantCookie(Response unlocked) {
        String setCookie = unlocked.header("Set-Cookie");
        assertThat(setCookie).isNotNull();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aPasscodeLinkAsksForItRefusesAWrongOneWith403AndRemembersARightOne() {
        String path = protectedLink("correct horse");

        Response asked = share.get(path);
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("This app is protected").contains("type=\"password\"")
                .doesNotContainPattern("share-[0-9a-f]{8}-").doesNotContain("name=\"text\"");

        Response wrong = share.postForm(path + "/unlock", Map.of("passcode", "wrong horse"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.contentType()).startsWith("text/html");
        assertThat(wrong.body()).contains("That passcode isn’t right");
        assertThat(wrong.header("Set-Cookie")).isNull();

        Response right = share.postForm(path + "/unlock", Map.of("passcode", "correct horse"));
        assertThat(right.status()).isEqualTo(303);
        assertThat(right.header("Location")).isEqualTo(path);
        assertThat(right.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax").contains("Path=" + path)
                .doesNotContain("correct horse");
        String cookie = grantCookie(right);

        Response page = share.get(path, "Cookie", cookie);
        assertThat(page.body()).contains("name=\"text\"");
        Response run = share.postForm(path + "/run", Map.of("text", "Cy"), "Cookie", cookie);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body()).contains("Hello, Cy!");
        Response forged = share.postForm(path + "/run", Map.of("text", "Cy"), "Cookie",
                PasscodeGrants.COOKIE + "=v1:00000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThat(forged.status()).isEqualTo(403);
    }

    @Test
    void programsSendThePasscodeInAHeader() {
        String path = protectedLink("open sesame");

        Response none = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x")));
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().get("code").asString()).isEqualTo("passcode-required");
        Response wrong = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x")), "X-Share-Passcode", "nope!");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().get("code").asString()).isEqualTo("wrong-passcode");
        Response right = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x")), "X-Share-Passcode", "open sesame");
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.json().get("outputs").get("greeting").asString()).isEqualTo("Hello, x!");
    }

    @Test
    void changingThePasscodeLocksOutBrowsersThatEnteredTheOldOne() {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);
        api.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", "first passcode"));
        String cookie = grantCookie(share.postForm(path + "/unlock", Map.of("passcode", "first passcode")));
        assertThat(share.get(path, "Cookie", cookie).body()).contains("name=\"text\"");

        api.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", "second passcode"));

        assertThat(share.get(path, "Cookie", cookie).body()).contains("type=\"password\"");
        assertThat(share.postForm(path + "/run", Map.of("text", "x"), "Cookie", cookie).status()).isEqualTo(403);
    }

    /**
     * Sends until the first 429; checks that about {@code budget} requests passed first (buckets
     * refill evenly over a minute, so a slow machine may let a few more through).
     */
    private static Response exhaust(int budget, java.util.function.IntFunction<Response> send) {
        long started = System.nanoTime();
        for (int i = 0; i < budget * 2 + 20; i++) {
            Response r = send.apply(i);
            if (r.status() == 429) {
                double minutes = (System.nanoTime() - started) / 60e9;
                assertThat(i).as("requests before the first 429").isGreaterThanOrEqualTo(budget)
                        .isLessThanOrEqualTo(budget + (int) Math.ceil(minutes * budget) + 1);
                return r;
            }
        }
        throw new AssertionError("never limited");
    }

    @Test
    void wrongPasscodesAreLimitedPerClientBeforeAnyHashing() {
        String path = protectedLink("the real one");
        exhaust(10, i -> {
            Response r = share.postForm(path + "/unlock", Map.of("passcode", "guess " + i));
            assertThat(r.status()).isIn(403, 429);
            return r;
        });

        Response limited = share.postForm(path + "/unlock", Map.of("passcode", "the real one"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.body()).contains("Too many requests");
        ShareClient other = share.asAnotherClient();
        assertThat(other.postForm(path + "/unlock", Map.of("passcode", "the real one")).status()).isEqualTo(303);
    }

    @Test
    void runsAreLimitedPerClientWith429AndRetryAfter() {
        String path = share.sharedGreeting();
        exhaust(30, i -> share.postJson(path + "/run", Map.of("inputs", Map.of("text", "n" + i))));

        Response page = share.postForm(path + "/run", Map.of("text", "one more"));
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("Too many requests").contains("Please wait");
        assertThat(Long.parseLong(page.header("Retry-After"))).isBetween(1L, 60L);
        Response json = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "one more")));
        assertThat(json.status()).isEqualTo(429);
        assertThat(json.json().get("code").asString()).isEqualTo("rate-limited");
        assertThat(json.header("Retry-After")).isNotNull();

        assertThat(share.get(path).status()).as("the page itself still opens").isEqualTo(200);
        assertThat(share.asAnotherClient().postJson(path + "/run", Map.of("inputs", Map.of("text", "x"))).status())
                .isEqualTo(200);
    }

    @Test
    void runsAreLimitedPerLinkAcrossClients() {
        String path = share.sharedGreeting();
        ShareClient[] client = {share};
        Response limited = exhaust(120, i -> {
            if (i % 20 == 0) {
                client[0] = share.asAnotherClient();
            }
            return client[0].postJson(path + "/run", Map.of("inputs", Map.of("text", "n" + i)));
        });

        assertThat(limited.json().get("code").asString()).isEqualTo("rate-limited");
        assertThat(share.asAnotherClient().postJson(share.sharedGreeting() + "/run",
                Map.of("inputs", Map.of("text", "x"))).status()).as("other links are unaffected").isEqualTo(200);
    }
}
