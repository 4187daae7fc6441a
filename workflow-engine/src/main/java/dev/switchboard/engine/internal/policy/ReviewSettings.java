package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.internal.Durations;
import dev.switchboard.engine.policy.PolicyOptions;
import dev.switchboard.engine.policy.ReviewRequest.TimeoutDecision;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** How long a review waits and what its timeout decides; parsed from node config. */
record ReviewSettings(Duration timeout, TimeoutDecision onTimeout, String instructions) {

    /** Reads {@code timeoutKey}/{@code onTimeoutKey}/{@code instructions}, reporting problems. */
    static ReviewSettings parse(NodeCompiler c, String timeoutKey, String onTimeoutKey, PolicyOptions options) {
        Duration timeout = options.defaultReviewTimeout();
        Optional<JsonNode> t = c.value(timeoutKey);
        if (t.isPresent()) {
            try {
                timeout = Durations.WITH_DAYS.parse(t.get());
                if (timeout.compareTo(options.maxReviewTimeout()) > 0) {
                    c.problem(timeoutKey, ValidationProblem.INVALID_CONFIG, "A review may wait at most "
                            + human(options.maxReviewTimeout()) + "; '" + timeoutKey + "' asks for " + human(timeout) + ".");
                }
            } catch (IllegalArgumentException e) {
                c.problem(timeoutKey, ValidationProblem.INVALID_CONFIG, "'" + timeoutKey + "' " + e.getMessage() + ".");
            }
        }
        TimeoutDecision onTimeout = TimeoutDecision.REJECT;
        Optional<String> ot = c.optionalText(onTimeoutKey);
        if (ot.isPresent()) {
            try {
                onTimeout = TimeoutDecision.fromWireName(ot.get());
            } catch (IllegalArgumentException e) {
                c.problem(onTimeoutKey, ValidationProblem.INVALID_CONFIG, "'" + onTimeoutKey + "' must be \"approve\" or \"reject\".");
            }
        }
        String instructions = c.optionalText("instructions").orElse(null);
        if (instructions != null && instructions.length() > 4_000) {
            c.problem("instructions", ValidationProblem.INVALID_CONFIG, "'instructions' may be at most 4000 characters.");
        }
        return new ReviewSettings(timeout, onTimeout, instructions);
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toString();
    }
}
