package dev.switchboard.app.testing;

import com.networknt.schema.Schema;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One compiled check of a test case (see {@link AssertionParser} for the JSON each is written
 * in). Output-based kinds name the output they check; {@code output} null means the app's
 * {@code answer} output, or its first output when it has no {@code answer}.
 */
sealed interface Assertion {

    /** The wire name of the kind ({@code "type"} in JSON). */
    default String type() {
        return switch (this) {
            case Equals a -> "equals";
            case Contains a -> "contains";
            case Regex a -> "regex";
            case JsonSchema a -> "jsonSchema";
            case Range a -> "range";
            case MaxLatency a -> "maxLatency";
            case MaxCost a -> "maxCost";
            case Judge a -> "judge";
            case Status a -> "status";
        };
    }

    /** The output this checks, or null (the default output, or a run-level kind). */
    default String output() {
        return switch (this) {
            case Equals a -> a.output;
            case Contains a -> a.output;
            case Regex a -> a.output;
            case JsonSchema a -> a.output;
            case Range a -> a.output;
            case Judge a -> a.output;
            case MaxLatency a -> null;
            case MaxCost a -> null;
            case Status a -> null;
        };
    }

    /** The output equals {@code value} (JSON equality; numbers by value; strings trimmed unless {@code trim: false}). */
    record Equals(String output, JsonNode value, boolean ignoreCase, boolean trim, boolean negate) implements Assertion {
    }

    /** The output's text contains {@code value}. */
    record Contains(String output, String value, boolean ignoreCase, boolean negate) implements Assertion {
    }

    /** {@code pattern} is found in the output's text ({@code ^…$} to match all of it). */
    record Regex(String output, Pattern pattern, boolean negate) implements Assertion {
    }

    /** The output (or its text parsed as JSON) is valid against {@code schema}. */
    record JsonSchema(String output, Schema schema) implements Assertion {
    }

    /** The output is a number (or numeric text) within {@code [min, max]}; either bound may be null. */
    record Range(String output, BigDecimal min, BigDecimal max) implements Assertion {
    }

    /** The run took at most {@code ms} milliseconds. */
    record MaxLatency(double ms) implements Assertion {
    }

    /** The run's model calls cost at most {@code usd}. */
    record MaxCost(BigDecimal usd) implements Assertion {
    }

    /** A judge model says the output satisfies {@code rubric} (and scores at least {@code minScore}, when given). */
    record Judge(String output, String rubric, String model, Double minScore) implements Assertion {
    }

    /**
     * The run ended in {@code status} (e.g. {@code blocked} for a case that must be refused). Without
     * a status assertion a case expects {@code succeeded}, and any other ending is an error.
     */
    record Status(String status) implements Assertion {
    }
}
