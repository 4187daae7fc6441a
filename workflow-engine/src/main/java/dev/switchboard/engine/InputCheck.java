package dev.switchboard.engine;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link CompiledGraph#prepareInputs}.
 *
 * @param values   the inputs as the run will see them: defaults applied, form strings converted
 *                 to numbers/booleans where the field says so; meaningful only when {@link #valid()}
 * @param problems one per bad field (code {@code required}, {@code wrong_type}, {@code too_long},
 *                 {@code unknown_input}; {@code field} = the input field name)
 */
public record InputCheck(Map<String, Object> values, List<ValidationProblem> problems) {
    public InputCheck {
        values = Values.copyMap(values);
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
