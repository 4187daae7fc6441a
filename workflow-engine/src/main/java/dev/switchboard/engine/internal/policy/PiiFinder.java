package dev.switchboard.engine.internal.policy;

import java.util.List;

/** Finds one kind of personal data in a text. Immutable and thread-safe. */
interface PiiFinder {

    PiiType type();

    /** Adds a finding (type, start, end) for every match to {@code out}, left to right. */
    void find(String text, List<Finding> out);
}
