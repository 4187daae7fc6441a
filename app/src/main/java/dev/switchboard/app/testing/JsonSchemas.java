package dev.switchboard.app.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * JSON Schema (drafts 4, 6, 7, 2019-09 and 2020-12; 2020-12 when a schema names none) through
 * networknt's json-schema-validator. A schema is checked against its dialect's meta-schema when
 * compiled, so a broken schema is refused when a test case is saved, not when it runs.
 *
 * <p>Schemas come from users, so nothing outside the document is ever loaded: no remote
 * {@code $ref} (that would let a test case make the server fetch URLs) and no classpath
 * resource; only the bundled meta-schemas of the standard dialects resolve. Thread-safe.
 */
final class JsonSchemas {

    /** The most messages reported for one schema or one validated value. */
    static final int MAX_MESSAGES = 10;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false).allow(JsonSchemas::isMetaSchema)));

    private static boolean isMetaSchema(com.networknt.schema.AbsoluteIri iri) {
        String s = iri.toString();
        return s.startsWith("https://json-schema.org/") || s.startsWith("http://json-schema.org/");
    }

    /** A compiled schema, or the problems that keep it from compiling. */
    record Compiled(Schema schema, List<String> problems) {
    }

    Compiled compile(JsonNode schemaNode) {
        if (schemaNode == null || !(schemaNode.isObject() || schemaNode.isBoolean())) {
            return new Compiled(null, List.of("schema must be a JSON object (or true/false)"));
        }
        SpecificationVersion version = SpecificationVersion.DRAFT_2020_12;
        if (schemaNode.isObject() && schemaNode.has("$schema")) {
            JsonNode declared = schemaNode.get("$schema");
            Optional<SpecificationVersion> known = declared.isString()
                    ? SpecificationVersion.fromDialectId(declared.asString()) : Optional.empty();
            if (known.isEmpty()) {
                return new Compiled(null, List.of("$schema must name a standard dialect (draft-04, -06, -07, 2019-09 or "
                        + "2020-12), e.g. \"" + SpecificationVersion.DRAFT_2020_12.getDialectId() + "\""));
            }
            version = known.get();
        }
        List<String> problems = new ArrayList<>();
        try {
            Schema meta = registry.getSchema(SchemaLocation.of(version.getDialectId()));
            for (Error e : meta.validate(schemaNode)) {
                if (problems.size() == MAX_MESSAGES) {
                    break;
                }
                problems.add(e.toString());
            }
            if (!problems.isEmpty()) {
                return new Compiled(null, problems);
            }
            Schema schema = registry.getSchema(schemaNode);
            schema.initializeValidators(); // resolves every $ref now: a dangling one fails here
            return new Compiled(schema, List.of());
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            return new Compiled(null, List.of(describe(e)));
        }
    }

    /** Messages of every way {@code value} breaks {@code schema} (at most {@link #MAX_MESSAGES}); empty when valid. */
    static List<String> validate(Schema schema, JsonNode value) {
        List<String> messages = new ArrayList<>();
        for (Error e : schema.validate(value)) {
            if (messages.size() == MAX_MESSAGES) {
                break;
            }
            messages.add(e.toString());
        }
        return messages;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
