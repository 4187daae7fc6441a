package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.engine.policy.ReviewRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run that waits for a human: the suspension carries a {@link ReviewRequest}; the app resumes by
 * starting the run again with the stored checkpoints plus the reviewed node's result. Checkpoints
 * go through JSON here, as they do through the database.
 */
class ReviewSuspendResumeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WorkflowEngine engine = PolicyGraphs.engine(FakeModelClient.answering("unused"));

    @AfterEach
    void close() {
        engine.close();
    }

    private final GraphDefinition reviewGraph = Graphs.graph().input("in", "text")
            .node("rev", "review", "{\"text\": \"Reply draft: {{in.text}}\", \"timeout\": \"2h\", \"onTimeout\": \"approve\","
                    + " \"instructions\": \"Check the tone.\"}")
            .node("out", "output", "{\"values\": {\"answer\": \"{{rev.text}}\", \"decision\": \"{{rev.decision}}\"}}")
            .edge("in", "rev").edge("rev", "out").build();

    @Test
    void reviewNodeSuspendsTheRunWithWhatTheReviewerNeeds() {
        RunOutcome waiting = engine.run(engine.compile(reviewGraph), RunRequest.of("r1", Map.of("text", "Thanks!")));

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_REVIEW);
        ReviewRequest req = ReviewRequest.from(waiting.suspensions().getFirst());
        assertThat(req.nodeId()).isEqualTo("rev");
        assertThat(req.source()).isEqualTo("review");
        assertThat(req.text()).isEqualTo("Reply draft: Thanks!");
        assertThat(req.proposed()).isEqualTo("Reply draft: Thanks!");
        assertThat(req.instructions()).isEqualTo("Check the tone.");
        assertThat(req.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(req.onTimeout()).isEqualTo(ReviewRequest.TimeoutDecision.APPROVE);
        assertThat(waiting.checkpoints()).containsKey("in").doesNotContainKey("rev");
    }

    @Test
    void editAndApproveResumesFromCheckpointsWithTheEditedText() {
        CompiledGraph g = engine.compile(reviewGraph);
        RunOutcome waiting = engine.run(g, RunRequest.of("r2", Map.of("text", "Thanks!")));

        RunOutcome done = resume(g, "r2", waiting, req -> req.approve("Thank you very much!"));

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.outputs()).containsEntry("answer", "Thank you very much!").containsEntry("decision", "edited");
    }

    @Test
    void plainApprovalAndTimeoutApprovalKeepTheProposedText() {
        CompiledGraph g = engine.compile(reviewGraph);
        RunOutcome waiting = engine.run(g, RunRequest.of("r3", Map.of("text", "Hi")));
        assertThat(resume(g, "r3", waiting, req -> req.approve(null)).outputs())
                .containsEntry("answer", "Reply draft: Hi").containsEntry("decision", "approved");
        RunOutcome timedOut = resume(g, "r3", waiting, ReviewRequest::approveOnTimeout);
        assertThat(timedOut.checkpoints().get("rev").outputs()).containsEntry("timedOut", true);
    }

    @Test
    void aPolicyWithActionReviewAsksAHumanAndPassesTheApprovedText() {
        GraphDefinition g = Graphs.graph().input("in", "text")
                .node("pii", "policy.pii", "{\"text\": \"{{in.text}}\", \"action\": \"review\", \"reviewTimeout\": \"1d\"}")
                .output("out", "answer", "{{pii.text}} ({{pii.decision}})")
                .edge("in", "pii").edge("pii", "out").build();
        CompiledGraph compiled = engine.compile(g);
        RunOutcome waiting = engine.run(compiled, RunRequest.of("r4", Map.of("text", "mail me: amy@example.com")));

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_REVIEW);
        ReviewRequest req = ReviewRequest.from(waiting.suspensions().getFirst());
        assertThat(req.source()).isEqualTo("policy.pii");
        assertThat(req.reason()).isEqualTo("policy.pii found 1 match: email.");
        assertThat(req.flags()).singleElement().satisfies(f -> assertThat(f).containsEntry("type", "email")
                .containsEntry("start", 9).containsEntry("action", "review"));
        assertThat(req.onTimeout()).isEqualTo(ReviewRequest.TimeoutDecision.REJECT);
        assertThat(req.timeout()).isEqualTo(Duration.ofDays(1));

        RunOutcome done = resume(compiled, "r4", waiting, r -> r.approve("mail me: [email removed]"));
        assertThat(done.outputs()).containsEntry("answer", "mail me: [email removed] (edited)");
        assertThat(done.checkpoints().get("pii").outputs()).containsEntry("matched", true).containsKey("flags");
    }

    @Test
    void refusesASuspensionThatIsNotAReview() {
        assertThatThrownBy(() -> ReviewRequest.from(new Suspension("x", "other", Map.of("foo", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not suspend for a review");
    }

    /** Stores checkpoints and the suspension as JSON (like the app's database), then resumes. */
    private RunOutcome resume(CompiledGraph g, String runId, RunOutcome waiting,
                              java.util.function.Function<ReviewRequest, NodeResult> decide) {
        String storedCheckpoints = JSON.writerFor(new TypeReference<Map<String, NodeResult>>() { })
                .writeValueAsString(waiting.checkpoints());
        String storedSuspension = JSON.writeValueAsString(waiting.suspensions().getFirst());
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>(
                JSON.readValue(storedCheckpoints, new TypeReference<Map<String, NodeResult>>() { }));
        Suspension s = JSON.readValue(storedSuspension, Suspension.class);
        checkpoints.put(s.nodeId(), decide.apply(ReviewRequest.from(s)));
        return engine.run(g, RunRequest.builder(runId).inputs(Map.of("text", "ignored on resume")).checkpoints(checkpoints).build());
    }
}
