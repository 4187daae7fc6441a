package dev.switchboard.app.support;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** One server-sent event as read off the wire. */
public record SseEvent(String name, String data) {

    public JsonNode json() {
        return Api.JSON.readTree(data);
    }

    public static List<SseEvent> parse(List<String> lines) {
        List<SseEvent> events = new ArrayList<>();
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : lines) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new SseEvent(name, data.toString()));
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
        if (!data.isEmpty()) {
            events.add(new SseEvent(name, data.toString()));
        }
        return events;
    }
}
