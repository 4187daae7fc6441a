package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.WorkflowEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SharePagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String XSS = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

    private final SharePages pages = new SharePages(JSON);

    private static ShareForm form(String fieldsJson) {
        try (WorkflowEngine engine = WorkflowEngine.builder().build()) {
            CompiledGraph graph = engine.compile(GraphDefinition.fromJson("""
                    {"nodes": [{"id": "in", "type": "input", "config": {"fields": %s}},
                               {"id": "out", "type": "output", "config": {"values": {"a": "x"}}}],
                     "edges": [{"from": "in", "to": "out"}]}""".formatted(fieldsJson)));
            return ShareForm.of(graph);
        }
    }

    @Test
    void everythingAnOwnerOrAVisitorWroteIsEscaped() {
        String xssJson = JSON.writeValueAsString(XSS);
        ShareForm form = form("[{\"name\": \"text\", \"label\": " + xssJson + ", \"help\": " + xssJson
                + ", \"placeholder\": " + xssJson + "}]");
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("answer", XSS);
        outputs.put("data", Map.of("k", XSS));
        PublicResult result = new PublicResult("blocked", outputs, XSS, "ref-1");

        String html = pages.page(new SharePages.PageModel("tok", XSS, XSS, 3, form, Map.of("text", XSS),
                Map.of("text", XSS), XSS, result, null, null));

        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("\"><img")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
        assertThat(html).containsOnlyOnce("<script src=\"/share-assets/share.js?v=" + pages.assetVersion() + "\" defer></script>");
    }

    @Test
    void theResultShowsOutputsInPlainWordsWithStructuredValuesAsJson() {
        ShareForm form = form("[{\"name\": \"text\"}]");
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("answer", "Positive");
        outputs.put("scoreDetails", Map.of("score", 0.9));
        String html = pages.page(new SharePages.PageModel("tok", "App", null, 1, form, Map.of(), Map.of(), null,
                new PublicResult("succeeded", outputs, null, "r-42"), null, null));

        assertThat(html).contains("data-state=\"done\"").contains(">Done.</p>").contains("<dt>Answer</dt>")
                .contains("<dt>Score details</dt>").contains("output-value mono").contains("&quot;score&quot; : 0.9")
                .contains("r-42").doesNotContain("<p class=\"description\">");
    }

    @Test
    void withoutAResultTheResultAreaIsHiddenAndIdle() {
        String html = pages.page(new SharePages.PageModel("tok", "App", "About", 1, form("[]"), Map.of(), Map.of(), null,
                null, null, null));

        assertThat(html).contains("data-state=\"idle\" hidden").contains("This app needs no input")
                .contains("<p class=\"description\">About</p>").contains("action=\"/s/tok/run\"");
    }

    @Test
    void plainWordsForEveryRunStatus() {
        for (String status : List.of("succeeded", "failed", "blocked", "timed_out", "cancelled", "waiting_review",
                "rejected", "queued", "running")) {
            assertThat(SharePages.statusText(status)).isNotBlank();
            assertThat(SharePages.tone(status)).isIn("success", "warning", "info", "error");
        }
    }
}
