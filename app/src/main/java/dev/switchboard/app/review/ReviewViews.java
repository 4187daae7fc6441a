package dev.switchboard.app.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the reviews API reads and returns. */
final class ReviewViews {
    private ReviewViews() {
    }

    /**
     * A review task.
     *
     * @param source     the node type that asked ({@code review}, {@code policy.pii}, ...)
     * @param content    what is under review
     * @param proposed   what approving without edits lets through
     * @param flags      the policy's findings (type, offsets, rule; no raw values of redacted spans)
     * @param decision   what was decided (null while open)
     * @param history    the audit trail (only on GET of one task)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReviewView(UUID id, UUID runId, UUID appId, String nodeId, String source, String status, String reason,
            String content, String proposed, List<Map<String, Object>> flags, String instructions, String onTimeout,
            Instant createdAt, Instant dueAt, DecisionView decision, List<AuditView> history) {
    }

    /**
     * @param by the API key that decided; null when the timeout did
     * @param text the approved text (approved, edited, timed out and approved)
     * @param reason why it was rejected
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DecisionView(Instant at, UUID by, String text, String reason) {
    }

    /** One audited decision: who, when, the content before and after. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuditView(Instant at, String actor, UUID apiKeyId, String fromStatus, String toStatus, String before,
            String after, String reason) {
    }

    /** Newest first; pass {@code nextCursor} as {@code cursor} for the next page (null: no more). */
    record ReviewPage(List<ReviewView> items, String nextCursor) {
    }

    /** Body of approve: {@code text} present = edit-and-approve. */
    record ApproveRequest(String text) {
    }

    record RejectRequest(String reason) {
    }
}
