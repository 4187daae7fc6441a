package dev.switchboard.engine;

import java.util.List;
import java.util.Map;

/**
 * A validated graph with its templates and expressions compiled; immutable and thread-safe, so
 * one instance serves any number of concurrent runs (cache it per app version).
 */
public interface CompiledGraph {

    GraphDefinition definition();

    /** The input node's fields, in definition order. */
    List<InputField> inputFields();

    /** Names of every output value any output node can produce, in definition order. */
    List<String> outputNames();

    /**
     * Checks run inputs the way the run will: missing required fields, wrong types, text over
     * {@code maxLength}, unknown fields; applies defaults; converts form strings ("42", "true") for
     * number/boolean fields. Call it before creating a run to answer bad input with a 4xx.
     */
    InputCheck prepareInputs(Map<String, ?> inputs);

    /** Shorthand for {@code prepareInputs(inputs).problems()}. */
    default List<ValidationProblem> checkInputs(Map<String, ?> inputs) {
        return prepareInputs(inputs).problems();
    }
}
