package dev.switchboard.engine.internal;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.switchboard.engine.Expression;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checked CEL program, immutable and shared by all runs of a compiled graph. */
final class CompiledExpression implements Expression {

    /** Evaluation failed (runtime error, budget exceeded, interrupted). Message is user-facing. */
    static final class EvaluationFailed extends RuntimeException {
        final boolean interrupted;

        EvaluationFailed(String message, boolean interrupted) {
            super(message, null, false, false);
            this.interrupted = interrupted;
        }
    }

    /** Thrown from the evaluation listener to stop a runaway evaluation. */
    private static final class Abort extends RuntimeException {
        final boolean interrupted;

        Abort(String message, boolean interrupted) {
            super(message, null, false, false);
            this.interrupted = interrupted;
        }
    }

    private final String source;
    private final CelRuntime.Program program;
    private final Set<String> referencedNodes;
    private final boolean mustBeBoolean;

    CompiledExpression(String source, CelRuntime.Program program, Set<String> referencedNodes, boolean mustBeBoolean) {
        this.source = source;
        this.program = program;
        this.referencedNodes = Set.copyOf(referencedNodes);
        this.mustBeBoolean = mustBeBoolean;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> referencedNodes() {
        return referencedNodes;
    }

    /**
     * Evaluates with a step budget and a cap on intermediate string/list sizes.
     *
     * @param variables resolves node ids, {@code trigger} and {@code nodes} to CEL values ({@link #toCel})
     * @return plain Java result (Long, Double, String, Boolean, List, Map, or null)
     * @throws EvaluationFailed on any runtime error, with a message for the trace
     */
    Object evaluate(CelVariableResolver variables, int maxSteps, int maxSize) {
        CelEvaluationListener budget = new CelEvaluationListener() {
            private int steps;

            @Override
            public void callback(dev.cel.common.ast.CelExpr expr, Object value) {
                if (++steps > maxSteps) {
                    throw new Abort("The expression took more than " + maxSteps + " evaluation steps.", false);
                }
                if ((steps & 63) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new Abort("The expression was interrupted.", true);
                }
                if (value instanceof String s && s.length() > maxSize
                        || value instanceof Collection<?> c && c.size() > maxSize
                        || value instanceof Map<?, ?> m && m.size() > maxSize) {
                    throw new Abort("The expression built a value larger than " + maxSize + " elements.", false);
                }
            }
        };
        Object result;
        try {
            result = program.trace(variables, budget);
        } catch (CelEvaluationException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof Abort)) {
                cause = cause.getCause();
            }
            if (cause instanceof Abort a) {
                throw new EvaluationFailed(a.getMessage(), a.interrupted);
            }
            throw new EvaluationFailed("The expression failed: " + e.getMessage(), false);
        } catch (Abort a) {
            throw new EvaluationFailed(a.getMessage(), a.interrupted);
        } catch (RuntimeException e) {
            throw new EvaluationFailed("The expression failed: " + e.getMessage(), false);
        }
        Object plain = fromCel(result);
        if (mustBeBoolean && !(plain instanceof Boolean)) {
            throw new EvaluationFailed("The condition must produce true or false, but produced "
                    + (plain == null ? "null" : PlainJson.write(plain)) + ".", false);
        }
        return plain;
    }

    /** Plain value → CEL value: nulls become CEL's {@code null}; plain values are otherwise already CEL-ready. */
    static Object toCel(Object plain) {
        return switch (plain) {
            case null -> NullValue.NULL_VALUE;
            case Map<?, ?> m -> {
                Map<String, Object> out = LinkedHashMap.newLinkedHashMap(m.size());
                m.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(toCel(v)));
                yield out;
            }
            // Integer/Float/BigDecimal (custom kinds, JSON-restored checkpoints) → CEL's int/double
            default -> PlainJson.normalize(plain);
        };
    }

    static Object fromCel(Object value) {
        return switch (value) {
            case null -> null;
            case NullValue n -> null;
            case Map<?, ?> m -> {
                Map<String, Object> out = LinkedHashMap.newLinkedHashMap(m.size());
                m.forEach((k, v) -> out.put(String.valueOf(k), fromCel(v)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(fromCel(v)));
                yield out;
            }
            default -> PlainJson.normalize(value);
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
