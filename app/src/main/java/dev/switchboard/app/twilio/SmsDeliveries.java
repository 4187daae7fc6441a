package dev.switchboard.app.twilio;

import dev.switchboard.app.runs.RunDeliveries;
import dev.switchboard.app.runs.RunViews.DeliveryEvent;
import dev.switchboard.app.runs.RunViews.DeliveryView;
import dev.switchboard.app.twilio.TwilioSends.Event;
import dev.switchboard.app.twilio.TwilioSends.Send;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The SMS a run sent, with the status callbacks Twilio made for each, for {@code GET /api/v1/runs/{id}}. */
@Component
class SmsDeliveries implements RunDeliveries {

    private final TwilioSends sends;

    SmsDeliveries(TwilioSends sends) {
        this.sends = sends;
    }

    @Override
    public List<DeliveryView> forRun(UUID runId) {
        List<Send> made = sends.forRun(runId);
        if (made.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<DeliveryEvent>> events = new LinkedHashMap<>();
        for (Event e : sends.events(made.stream().map(Send::id).toList())) {
            events.computeIfAbsent(e.sendId(), k -> new ArrayList<>())
                    .add(new DeliveryEvent(e.status(), e.errorCode(), e.receivedAt()));
        }
        return made.stream().map(s -> new DeliveryView(s.nodeId(), "sms", s.part(), s.parts(), s.to(), s.state().wire(),
                s.attempts(), s.messageSid(), s.deliveryStatus(), s.errorCode(), s.errorMessage(), s.createdAt(),
                s.updatedAt(), events.getOrDefault(s.id(), List.of()))).toList();
    }
}
