package dev.switchboard.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event of a run, in delivery order. */
final class RecordingListener implements RunListener {

    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void on(RunEvent event) {
        events.add(event);
    }

    <T extends RunEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (RunEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** Compact trace like "RunStarted", "NodeStarted:in", "NodeFinished:in:SUCCEEDED", "NodeSkipped:no". */
    List<String> trace() {
        List<String> out = new ArrayList<>();
        for (RunEvent e : events) {
            out.add(switch (e) {
                case RunEvent.RunStarted s -> "RunStarted";
                case RunEvent.NodeStarted s -> "NodeStarted:" + s.nodeId();
                case RunEvent.NodeFinished f -> "NodeFinished:" + f.nodeId() + ":" + f.status();
                case RunEvent.NodeFailed f -> "NodeFailed:" + f.nodeId() + ":" + f.attempt() + ":" + f.action();
                case RunEvent.NodeSkipped s -> "NodeSkipped:" + s.nodeId();
                case RunEvent.TokenDelta t -> "Token:" + t.nodeId() + ":" + t.text();
                case RunEvent.RunFinished f -> "RunFinished:" + f.outcome().status();
            });
        }
        return out;
    }
}
