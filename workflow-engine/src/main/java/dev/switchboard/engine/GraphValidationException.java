package dev.switchboard.engine;

import java.util.List;

/** Thrown by {@link WorkflowEngine#compile} with every problem found in the graph (never empty). */
public final class GraphValidationException extends RuntimeException {

    private final transient List<ValidationProblem> problems;

    public GraphValidationException(List<ValidationProblem> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems must not be empty");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ValidationProblem> problems() {
        return problems;
    }

    private static String summary(List<ValidationProblem> problems) {
        StringBuilder sb = new StringBuilder("The graph has ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (ValidationProblem p : problems) {
            sb.append("\n - ").append(p);
        }
        return sb.toString();
    }
}
