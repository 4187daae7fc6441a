package dev.switchboard.engine.internal;

import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects validation problems in the order found. Not thread-safe. */
final class Problems {
    private final List<ValidationProblem> list = new ArrayList<>();

    void add(String nodeId, String field, String code, String message) {
        list.add(new ValidationProblem(nodeId, field, code, message));
    }

    int size() {
        return list.size();
    }

    boolean any() {
        return !list.isEmpty();
    }

    boolean anyFor(String nodeId) {
        for (ValidationProblem p : list) {
            if (nodeId.equals(p.nodeId())) {
                return true;
            }
        }
        return false;
    }

    List<ValidationProblem> toList() {
        return List.copyOf(list);
    }
}
