package dev.switchboard.app.review;

import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.review.ReviewViews.ApproveRequest;
import dev.switchboard.app.review.ReviewViews.RejectRequest;
import dev.switchboard.app.review.ReviewViews.ReviewPage;
import dev.switchboard.app.review.ReviewViews.ReviewView;
import dev.switchboard.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Reviews", description = "Human-in-the-loop: tasks opened by review nodes and policies with action review")
class ReviewController {

    private static final int MAX_PAGE = 100;

    private final ReviewService reviews;

    ReviewController(ReviewService reviews) {
        this.reviews = reviews;
    }

    @GetMapping("/api/v1/reviews")
    @Operation(summary = "List review tasks", description = "Newest first; filter by status (open, approved, edited, "
            + "rejected, timed_out) and app; keyset pagination with cursor.")
    ReviewPage list(Caller caller, @RequestParam(required = false) String status, @RequestParam(required = false) UUID appId,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int size) {
        caller.require(KeyRole.RUN);
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.badRequest("size must be from 1 to " + MAX_PAGE);
        }
        ReviewStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = ReviewStatus.fromWireName(status.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        return reviews.list(caller, filter, appId, cursor, size);
    }

    @GetMapping("/api/v1/reviews/{id}")
    @Operation(summary = "Get a review task with its audit trail")
    ReviewView get(Caller caller, @PathVariable UUID id) {
        caller.require(KeyRole.RUN);
        return reviews.get(caller, id);
    }

    @PostMapping("/api/v1/reviews/{id}/approve")
    @Operation(summary = "Approve, or edit and approve", description = "Body {\"text\": \"...\"} approves edited text; "
            + "no body or no text approves what was proposed. The run continues. 409 when already decided.")
    ReviewView approve(Caller caller, @PathVariable UUID id, @RequestBody(required = false) ApproveRequest body) {
        caller.require(KeyRole.BUILD);
        return reviews.approve(caller, id, body == null ? null : body.text());
    }

    @PostMapping("/api/v1/reviews/{id}/reject")
    @Operation(summary = "Reject with a reason", description = "The run ends rejected. 409 when already decided.")
    ReviewView reject(Caller caller, @PathVariable UUID id, @RequestBody(required = false) RejectRequest body) {
        caller.require(KeyRole.BUILD);
        return reviews.reject(caller, id, body == null ? null : body.reason());
    }
}
