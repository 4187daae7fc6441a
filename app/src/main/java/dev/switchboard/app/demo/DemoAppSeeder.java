package dev.switchboard.app.demo;

import dev.switchboard.app.apps.AppService;
import dev.switchboard.app.apps.AppViews.AppView;
import dev.switchboard.app.workspaces.WorkspaceService;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives the default workspace, once, the sentiment sample from Mantium's demo: a customer review
 * in, the sentiment and a one-sentence explanation out, through the configured model. Created
 * and published (version 1) in one transaction with the "seeded" mark, so it appears exactly once
 * and is not recreated after a user deletes it.
 */
@Component
public class DemoAppSeeder {

    public static final String NAME = "Sentiment demo";
    public static final String SAMPLE = "The food was delicious and the service was excellent.";

    private static final Logger log = LoggerFactory.getLogger(DemoAppSeeder.class);

    private final WorkspaceService workspaces;
    private final AppService apps;
    private final JsonMapper json;
    private final DemoProperties properties;

    DemoAppSeeder(WorkspaceService workspaces, AppService apps, JsonMapper json, DemoProperties properties) {
        this.workspaces = workspaces;
        this.apps = apps;
        this.json = json;
        this.properties = properties;
    }

    /** Seeds the demo app into the workspace unless it was seeded before; returns its id when created now. */
    @Transactional
    public UUID seed(UUID workspaceId) {
        if (!properties.enabled() || !workspaces.claimDemoSeeding(workspaceId)) {
            return null;
        }
        AppView app = apps.create(workspaceId, new AppService.NewApp(NAME,
                "Mantium's sentiment demo: paste a customer review, get its sentiment and why.", graph(properties.model())));
        apps.publish(workspaceId, app.id(), null);
        log.info("Created the demo app '{}' ({}) using model {}", NAME, app.id(), properties.model());
        return app.id();
    }

    JsonNode graph(String model) {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(Map.of(
                                "name", "text", "type", "text", "maxLength", 4000,
                                "label", "Customer review", "default", SAMPLE)))),
                        Map.of("id", "ask", "type", "transform", "config", Map.of("template", """
                                Classify the sentiment of this customer review as positive, negative or neutral, \
                                and explain why in one sentence. Answer in exactly this form:
                                sentiment: <positive|negative|neutral>
                                explanation: <one sentence>

                                Review: {{in.text}}""")),
                        Map.of("id", "ai", "type", "ai", "config", Map.of(
                                "model", model, "prompt", "{{ask.text}}", "maxTokens", 120, "temperature", 0)),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of(
                                "answer", "{{ai.text}}")))),
                "edges", List.of(
                        Map.of("from", "in", "to", "ask"),
                        Map.of("from", "ask", "to", "ai"),
                        Map.of("from", "ai", "to", "out")));
        return json.valueToTree(graph);
    }
}
