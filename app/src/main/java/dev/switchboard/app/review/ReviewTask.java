package dev.switchboard.app.review;

import dev.switchboard.engine.policy.ReviewRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A review task as stored ({@code review_tasks}). */
record ReviewTask(UUID id, UUID workspaceId, UUID appId, UUID runId, String nodeId, String source, ReviewStatus status,
        String reason, String content, String proposed, List<Map<String, Object>> flags, String instructions,
        ReviewRequest.TimeoutDecision onTimeout, Map<String, Object> extraOutputs, Instant createdAt, Instant dueAt,
        Instant decidedAt, UUID decidedBy, String decidedText, String decidedReason) {

    /** What the engine's review node asked, rebuilt to produce the node's result on approval. */
    ReviewRequest request() {
        return new ReviewRequest(nodeId, source, reason, content, proposed, flags, instructions,
                Duration.between(createdAt, dueAt), onTimeout, extraOutputs);
    }
}
