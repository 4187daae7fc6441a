package dev.switchboard.app.share;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The share page in a real browser: headless Debian Chromium driven by Selenium. Skipped, with
 * a message, where Chromium or its driver is not installed ({@code apt-get install chromium
 * chromium-driver}; CI installs both). Screenshots land in {@code app/target/screenshots/}.
 *
 * <p>Each test browses from a client address of its own ({@code X-Forwarded-For} set through the
 * DevTools protocol; loopback is a trusted proxy), so rate limits never leak between tests.
 */
class SharePageBrowserIT extends IntegrationTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ChromeDriver driver;
    private static Path profile;

    ShareClient share;

    @BeforeAll
    static void startBrowser() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "). Install it with: apt-get install -y chromium chromium-driver");
        profile = Files.createTempDirectory("share-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void freshClient() {
        share = new ShareClient(api);
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.manage().deleteAllCookies();
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("X-Forwarded-For", share.address())));
    }

    private String open(String path) {
        driver.get(api.base() + path);
        return driver.getTitle();
    }

    private WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(20));
    }

    private String state() {
        return byId("result").getDomAttribute("data-state");
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name), png);
    }

    /** The whole page, not just the window (DevTools: capture beyond the viewport). */
    private static void fullPageScreenshot(String name) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                        "width", ((Number) size.get("width")).doubleValue(),
                        "height", ((Number) size.get("height")).doubleValue())));
        Files.write(SCREENSHOTS.resolve(name), java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** A fake OpenAI-compatible model that streams {@code words} slowly (spread over {@code millis}). */
    private static void stubSlowStream(String model, List<String> words, int millis) {
        StringBuilder sse = new StringBuilder();
        for (String word : words) {
            sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"").append(model)
                    .append("\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(word)
                    .append("\"},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(sse.toString()).withChunkedDribbleDelay(words.size() + 1, millis)));
    }

    private Map<String, Object> reviewGraph(String model) {
        return Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "review", "type", "text", "required", true, "maxLength", 2000,
                                        "label", "Customer review", "help", "Paste the review as the customer wrote it."),
                                Map.of("name", "language", "type", "text", "maxLength", 40, "label", "Answer in",
                                        "default", "English"),
                                Map.of("name", "brief", "type", "boolean", "label", "Keep it short", "default", true)))),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", model, "maxTokens", 200,
                                "messages", List.of(Map.of("role", "user", "content",
                                        "Sentiment of: {{in.review}} (answer in {{in.language}})")))),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{ai.text}}")))),
                "edges", List.of(TestGraphs.edge("in", "ai"), TestGraphs.edge("ai", "out")));
    }

    @Test
    void aVisitorFillsTheFormAndWatchsTheAnswerStreamIn() throws IOException {
        List<String> words = new ArrayList<>();
        for (String w : "Positive. The reviewer loved the food, praised the friendly staff and will come back soon."
                .split(" ")) {
            words.add(w + " ");
        }
        stubSlowStream("browser-stream", words, 3000);
        String appId = share.createApp("Review sentiment",
                "Paste a customer review and get its sentiment with a one-line reason.", reviewGraph("fake/browser-stream"));
        String path = share.publish(appId);
        api.put("/api/v1/apps/" + appId + "/share", Map.of("showGraph", true));

        assertThat(open(path)).isEqualTo("Review sentiment");
        assertThat(byId("app-name").getText()).isEqualTo("Review sentiment");
        assertThat(driver.findElement(By.cssSelector("label[for='f-review']")).getText()).isEqualTo("Customer review");
        assertThat(byId("f-language").getDomProperty("value")).isEqualTo("English");
        assertThat(byId("f-brief").isSelected()).isTrue();
        byId("f-review").sendKeys("The food was delicious and the staff were lovely!");
        assertThat(byId("f-review-count").getText()).isEqualTo("49 / 2000");
        byId("run-button").click();

        Set<Integer> partialLengths = new LinkedHashSet<>();
        boolean[] midShot = {false};
        waiting().until(d -> {
            String text = byId("result-live").getText();
            if ("running".equals(state()) && !text.isBlank()) {
                partialLengths.add(text.length());
                if (!midShot[0] && partialLengths.size() == 3) {
                    midShot[0] = true;
                    try {
                        screenshot(d, "share-page-streaming.png");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            return "done".equals(state());
        });

        assertThat(partialLengths).as("the answer grew on the page before the run finished").hasSizeGreaterThanOrEqualTo(2);
        String answer = String.join("", words).strip();
        assertThat(driver.findElement(By.cssSelector("#outputs .output dd")).getText().strip()).isEqualTo(answer);
        assertThat(byId("result-status").getText()).isEqualTo("Done.");
        assertThat(byId("result-live").isDisplayed()).isFalse();
        assertThat(byId("result-body").getDomAttribute("aria-busy")).isEqualTo("false");
        assertThat(byId("run-button").isEnabled()).isTrue();
        String reference = byId("result-reference-id").getText();
        JsonNodeCheck.run(api.get("/api/v1/runs/" + reference), "share");

        driver.findElement(By.cssSelector("details.how summary")).click();
        WebElement graph = driver.findElement(By.cssSelector("details.how img.graph"));
        waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", graph));
        fullPageScreenshot("share-page.png");

        // a phone: 390 × 844 CSS pixels, touch, mobile viewport rules
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                "deviceScaleFactor", 2, "mobile", true));
        driver.executeScript("window.scrollTo(0, 0)");
        assertThat((Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling on a phone").isTrue();
        assertThat(byId("run-button").getRect().getWidth()).as("a full-width button on a phone").isGreaterThan(300);
        screenshot(driver, "share-page-phone.png");
        fullPageScreenshot("share-page-phone-full.png");
    }

    @Test
    void ctrlEnterRunsFromTheKeyboardAndCheckedFieldsGetMessagesAndFocus() {
        String path = share.sharedGreeting();
        open(path);

        byId("run-button").click();
        waiting().until(d -> byId("f-text-error").isDisplayed());
        assertThat(byId("f-text-error").getText()).isEqualTo("Please fill in Text.");
        assertThat(byId("f-text").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("f-text");
        assertThat(byId("form-error").getText()).isEqualTo("Please check the highlighted field.");

        byId("f-text").sendKeys("Grace");
        byId("f-text").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

        waiting().until(d -> "done".equals(state()));
        assertThat(driver.findElement(By.cssSelector("#outputs dd")).getText()).isEqualTo("Hello, Grace!");
        assertThat(byId("f-text-error").isDisplayed()).isFalse();
    }

    @Test
    void theServersInputMessagesAppearNextToTheirFields() {
        String path = share.sharedGreeting();
        open(path);
        // switch off the page's own check, as a script-less or tampering client would
        driver.executeScript("document.querySelector('[data-field=text]').removeAttribute('data-required')");

        byId("run-button").click();

        waiting().until(d -> byId("f-text-error").isDisplayed());
        assertThat(byId("f-text-error").getText()).isEqualTo("Please fill in Text.");
        assertThat(byId("result").isDisplayed()).isFalse();
    }

    @Test
    void withoutJavaScriptTheFormStillPostsAndShowsTheResultPage() {
        String path = share.sharedGreeting();
        open(path);
        byId("f-text").sendKeys("Linus");

        driver.executeScript("HTMLFormElement.prototype.submit.call(document.getElementById('run-form'))");

        waiting().until(d -> d.getCurrentUrl().endsWith("/run"));
        assertThat(driver.findElement(By.cssSelector("#outputs dd")).getText()).isEqualTo("Hello, Linus!");
        assertThat(byId("f-text").getDomProperty("value")).isEqualTo("Linus");
    }

    @Test
    void smuggledFieldsAndGraphsAreRefusedFromThePage() {
        String path = share.sharedGreeting();
        open(path);
        byId("f-text").sendKeys("x");

        Object status = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(document.getElementById('run-form').action, {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
                    body: JSON.stringify({inputs: {text: 'x'}, version: 'draft',
                        graph: {nodes: [{id: 'in', type: 'input'}], edges: []}})})
                  .then(r => r.json().then(b => done(r.status + ' ' + b.errors.map(e => e.field).join(','))));
                """);
        assertThat(status).isEqualTo("422 version,graph");

        driver.executeScript("""
                const form = document.getElementById('run-form');
                const extra = document.createElement('input');
                extra.type = 'hidden'; extra.name = 'version'; extra.value = 'draft';
                form.append(extra);
                HTMLFormElement.prototype.submit.call(form);""");
        waiting().until(d -> d.getCurrentUrl().endsWith("/run"));
        assertThat(byId("message-title").getText()).isEqualTo("This request can’t be handled");
        assertThat(driver.getPageSource()).contains("is not an input of this app");
    }

    @Test
    void aDraftIsNeverWhatTheShareLinkRuns() {
        String appId = share.createApp(greeting("Published: {{in.text}}"));
        String path = share.publish(appId);
        api.put("/api/v1/apps/" + appId, Map.of("graph", greeting("DRAFT: {{in.text}}")));

        open(path);
        byId("f-text").sendKeys("x");
        byId("run-button").click();

        waiting().until(d -> "done".equals(state()));
        assertThat(driver.findElement(By.cssSelector("#outputs dd")).getText()).isEqualTo("Published: x");
    }

    @Test
    void aBlockedRequestIsExplainedInThePolicysWords() throws IOException {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(TestGraphs.input(),
                        Map.of("id", "guard", "type", "policy.blocklist", "config", Map.of("text", "{{in.text}}",
                                "terms", List.of("refund*"), "message", "Please contact support@example.com about refunds.")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("echo", "{{guard.text}}")))),
                "edges", List.of(TestGraphs.edge("in", "guard"), TestGraphs.edge("guard", "out")));
        String path = share.publish(share.createApp("Help desk", null, graph));
        open(path);

        byId("f-text").sendKeys("I want my refund now");
        byId("run-button").click();

        waiting().until(d -> "error".equals(state()));
        assertThat(byId("result-status").getText()).isEqualTo("Blocked.");
        assertThat(byId("result-message").getText()).isEqualTo("Please contact support@example.com about refunds.");
        assertThat(byId("result-message").getDomAttribute("class")).contains("alert-warning");
        assertThat(driver.findElements(By.cssSelector("#outputs .output"))).isEmpty();
        screenshot(driver, "share-page-blocked.png");
    }

    @Test
    void aRevokedLinkShowsTheNotFoundPage() {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);
        api.delete("/api/v1/apps/" + appId + "/share");

        assertThat(open(path)).isEqualTo("Link not available");
        assertThat(byId("message-title").getText()).isEqualTo("This link isn’t available");
        assertThat(driver.getPageSource()).doesNotContain(path.substring(3));
    }

    @Test
    void pastTheRateLimitThePageSaysHowLongToWait() throws IOException {
        String path = share.sharedGreeting();
        open(path);
        Response last;
        int sent = 0;
        do {
            last = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "n" + sent++)));
        } while (last.status() == 200 && sent < 100);
        assertThat(last.status()).isEqualTo(429);

        byId("f-text").sendKeys("one more");
        byId("run-button").click();

        waiting().until(d -> "error".equals(state()));
        assertThat(byId("result-message").getText()).matches("Too many requests\\. Please wait \\d+ seconds? and try again\\.");
        screenshot(driver, "share-page-rate-limited.png");
    }

    @Test
    void aPasscodeLinkRefusesAWrongPasscodeAndOpensWithTheRightOne() throws IOException {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);
        api.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", "blue-whale-42"));

        assertThat(open(path)).isEqualTo("Passcode needed");
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("passcode");
        byId("passcode").sendKeys("red-whale-42", Keys.ENTER);
        waiting().until(d -> !d.findElements(By.id("passcode-error")).isEmpty());
        assertThat(byId("passcode-error").getText()).isEqualTo("That passcode isn’t right. Please try again.");
        screenshot(driver, "share-page-passcode.png");

        byId("passcode").sendKeys("blue-whale-42", Keys.ENTER);
        waiting().until(d -> !d.findElements(By.id("run-form")).isEmpty());
        byId("f-text").sendKeys("Ada");
        byId("run-button").click();
        waiting().until(d -> "done".equals(state()));
        assertThat(driver.findElement(By.cssSelector("#outputs dd")).getText()).isEqualTo("Hello, Ada!");
    }

    /** Small checks on API answers. */
    private static final class JsonNodeCheck {
        static void run(Response response, String source) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().get("source").asString()).isEqualTo(source);
            assertThat(response.json().get("status").asString()).isEqualTo("succeeded");
        }
    }
}
