package dev.switchboard.app.web;

import tools.jackson.core.JacksonException;

/** Where in a JSON document Jackson failed, as a field path users recognise: {@code nodes[2].config}. */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** The path of {@code e}'s location; empty when it failed at the root. */
    public static String of(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
