package dev.switchboard.app.share;

import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.engine.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a share page may tell anyone about a run: its status, its outputs (only when it
 * succeeded), a plain-words message otherwise, and the run id as a reference the owner can look up.
 * Never the trace, prompts, models, inputs of inner nodes or provider errors.
 *
 * @param outputs in the order the graph declares them
 */
record PublicResult(String status, Map<String, Object> outputs, String message, String reference) {

    static final String FAILED = "Something went wrong while running this app. Please try again in a moment.";

    static PublicResult of(RunView run, List<String> outputOrder) {
        RunStatus status = RunStatus.fromWireName(run.status());
        String message = switch (status) {
            case SUCCEEDED -> null;
            case BLOCKED -> blockedMessage(run.error());
            case FAILED -> FAILED;
            case TIMED_OUT -> "The app took too long to answer. Please try again.";
            case CANCELLED -> "The run was stopped before it finished.";
            case WAITING_REVIEW -> "Thanks — your request was received. A person reviews it before any answer is given, "
                    + "so the answer will not appear on this page.";
            case REJECTED -> "A reviewer declined this request.";
            case QUEUED, RUNNING -> "The app is still working on this.";
        };
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (status == RunStatus.SUCCEEDED && run.outputs() != null) {
            outputOrder.forEach(name -> {
                if (run.outputs().containsKey(name)) {
                    outputs.put(name, run.outputs().get(name));
                }
            });
            run.outputs().forEach(outputs::putIfAbsent);
        }
        return new PublicResult(run.status(), outputs, message, run.id().toString());
    }

    /** A policy's configured message is written for the app's users; show it as it is. */
    private static String blockedMessage(Map<String, Object> error) {
        Object message = error == null ? null : error.get("message");
        if (message instanceof String text && !text.isBlank()) {
            return text;
        }
        return "This request was blocked by the app's rules.";
    }
}
