package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.DeliveryView;
import java.util.List;
import java.util.UUID;

/**
 * Messages a run's output nodes sent and what became of them (e.g. SMS with Twilio's status
 * callbacks), shown as {@code deliveries} in {@code GET /api/v1/runs/{id}}. Implemented by the
 * features that deliver (a Spring bean; several are concatenated).
 */
public interface RunDeliveries {

    /** The run's deliveries in the order they were made; empty when it made none. */
    List<DeliveryView> forRun(UUID runId);
}
