package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One problem found in a graph or in run inputs.
 *
 * @param nodeId  the node it concerns, or null for graph-level problems (e.g. "no output node")
 * @param field   where in the definition, e.g. {@code "config.prompt"}, {@code "edges[2].to"},
 *                {@code "id"}; for input problems the input field name; null when not applicable
 * @param code    stable machine-readable code, one of the constants below (node kinds added later
 *                may add their own)
 * @param message a sentence a low-code user can act on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationProblem(String nodeId, String field, String code, String message) {

    // graph structure
    public static final String NO_NODES = "no_nodes";
    public static final String TOO_LARGE = "too_large";
    public static final String BLANK_ID = "blank_id";
    public static final String INVALID_ID = "invalid_id";
    public static final String RESERVED_ID = "reserved_id";
    public static final String DUPLICATE_ID = "duplicate_id";
    public static final String MISSING_TYPE = "missing_type";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String DANGLING_EDGE = "dangling_edge";
    public static final String DUPLICATE_EDGE = "duplicate_edge";
    public static final String CYCLE = "cycle";
    public static final String INVALID_EDGE_LABEL = "invalid_edge_label";
    public static final String MISSING_EDGE_LABEL = "missing_edge_label";
    public static final String NO_INPUT = "no_input";
    public static final String MULTIPLE_INPUTS = "multiple_inputs";
    public static final String INPUT_HAS_INCOMING = "input_has_incoming_edge";
    public static final String NO_OUTPUT = "no_output";
    public static final String UNREACHABLE = "unreachable";
    // node config
    public static final String MISSING_CONFIG = "missing_config";
    public static final String INVALID_CONFIG = "invalid_config";
    // templates and expressions
    public static final String TEMPLATE_SYNTAX = "template_syntax";
    public static final String TEMPLATE_UNSUPPORTED = "template_unsupported";
    public static final String UNKNOWN_REFERENCE = "unknown_reference";
    public static final String NOT_UPSTREAM = "not_upstream";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String EXPRESSION_ERROR = "expression_error";
    // run inputs (CompiledGraph#checkInputs)
    public static final String REQUIRED = "required";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String TOO_LONG = "too_long";
    public static final String UNKNOWN_INPUT = "unknown_input";

    public ValidationProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (nodeId == null ? "" : "node '" + nodeId + "' ") + (field == null ? "" : field + ": ")
                + message + " [" + code + "]";
    }
}
