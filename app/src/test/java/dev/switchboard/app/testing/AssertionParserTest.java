package dev.switchboard.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.web.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AssertionParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final AssertionParser parser = new AssertionParser(new JsonSchemas());

    private List<FieldProblem> problems(String assertions) {
        List<FieldProblem> problems = new ArrayList<>();
        parser.parse(JSON.readTree(assertions), new LinkedHashSet<>(List.of("answer", "mood")), null, problems);
        return problems;
    }

    private List<Assertion> parse(String assertions, String judgeModel) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Assertion> parsed = parser.parse(JSON.readTree(assertions), new LinkedHashSet<>(List.of("answer", "mood")), judgeModel, problems);
        assertThat(problems).isEmpty();
        return parsed;
    }

    @Test
    void compilesEveryKind() {
        List<Assertion> all = parse("""
                [{"type": "equals", "output": "mood", "value": "positive"},
                 {"type": "contains", "value": "Ada", "ignoreCase": true},
                 {"type": "regex", "pattern": "^hello", "flags": "i", "not": true},
                 {"type": "jsonSchema", "schema": {"type": "object", "required": ["a"]}},
                 {"type": "range", "min": 0, "max": 1},
                 {"type": "maxLatency", "ms": 1500},
                 {"type": "maxCost", "usd": 0.01},
                 {"type": "judge", "rubric": "polite", "minScore": 0.5},
                 {"type": "status", "equals": "blocked"}]""", "fake/judge");
        assertThat(all).extracting(Assertion::type).containsExactly("equals", "contains", "regex", "jsonSchema", "range",
                "maxLatency", "maxCost", "judge", "status");
        assertThat(((Assertion.Judge) all.get(7)).model()).isEqualTo("fake/judge");
        assertThat(((Assertion.Regex) all.get(2)).negate()).isTrue();
    }

    @Test
    void listsEveryProblemWithItsField() {
        List<FieldProblem> problems = problems("""
                [{"type": "regex", "pattern": "(unclosed"},
                 {"type": "jsonSchema", "schema": {"type": "strnig"}},
                 {"type": "contains", "output": "nope", "value": "x"},
                 {"type": "equal", "value": 1},
                 {"type": "contains", "valu": "x"},
                 {"type": "range"},
                 {"type": "range", "min": 3, "max": 1},
                 {"type": "judge", "rubric": "polite"},
                 {"type": "maxLatency", "ms": -1},
                 {"type": "status", "equals": "exploded"}]""");
        assertThat(problems).extracting(FieldProblem::field).containsExactly(
                "assertions[0].pattern", "assertions[1].schema", "assertions[2].output", "assertions[3].type",
                "assertions[4].valu", "assertions[4].value", "assertions[5].min", "assertions[6].max",
                "assertions[7].model", "assertions[8].ms", "assertions[9].equals");
        assertThat(problems.get(0).code()).isEqualTo("invalid-regex");
        assertThat(problems.get(0).message()).contains("Unclosed group");
        assertThat(problems.get(1).code()).isEqualTo("invalid-schema");
        assertThat(problems.get(1).message()).contains("/type").contains("enumeration");
        assertThat(problems.get(2).message()).isEqualTo("the app has no output 'nope'; its outputs are: answer, mood");
        assertThat(problems.get(3).message()).contains("equals, contains, regex, jsonSchema");
    }

    @Test
    void refusesSchemasThatCannotBeUsed() {
        assertThat(problems("[{\"type\": \"jsonSchema\", \"schema\": \"object\"}]")).singleElement()
                .extracting(FieldProblem::message).asString().contains("must be a JSON object");
        assertThat(problems("[{\"type\": \"jsonSchema\", \"schema\": {\"$schema\": \"https://example.com/mine\"}}]"))
                .singleElement().extracting(FieldProblem::message).asString().contains("standard dialect");
        assertThat(problems("[{\"type\": \"jsonSchema\", \"schema\": {\"minLength\": -2}}]")).hasSize(1);
    }

    @Test
    void neverLoadsSchemasFromOutsideTheDocument() {
        // a remote $ref would make the server fetch a URL a user chose
        List<FieldProblem> remote = problems("""
                [{"type": "jsonSchema", "schema": {"$ref": "http://127.0.0.1:1/evil.json"}}]""");
        assertThat(remote).singleElement().extracting(FieldProblem::message).asString().contains("not allowed to be loaded");
        List<FieldProblem> classpath = problems("""
                [{"type": "jsonSchema", "schema": {"$ref": "classpath:application.yml"}}]""");
        assertThat(classpath).singleElement().extracting(FieldProblem::message).asString().contains("not allowed to be loaded");
    }

    @Test
    void acceptsOlderDialectsAndLocalReferences() {
        JsonNode schema = JSON.readTree("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"n": {"type": "integer"}},
                 "type": "object", "properties": {"n": {"$ref": "#/definitions/n"}}}""");
        JsonSchemas.Compiled compiled = new JsonSchemas().compile(schema);
        assertThat(compiled.problems()).isEmpty();
        assertThat(JsonSchemas.validate(compiled.schema(), JSON.readTree("{\"n\": 3}"))).isEmpty();
        assertThat(JsonSchemas.validate(compiled.schema(), JSON.readTree("{\"n\": \"x\"}"))).singleElement().asString()
                .contains("integer");
    }
}
