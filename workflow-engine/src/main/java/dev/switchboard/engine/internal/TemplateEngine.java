package dev.switchboard.engine.internal;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Logic-less templates on JMustache, locked down:
 * <ul>
 *   <li>only text and variable tags survive compilation — sections, inverted sections, partials,
 *       template inheritance and delimiter changes are refused, so lambdas and loaders are unreachable;</li>
 *   <li>values are looked up with {@link BasicCollector} (Maps and Lists only; no reflection, so
 *       no getter or method of any object can be called);</li>
 *   <li>the data rendered is always plain JSON-like values (see {@link PlainJson#normalize});</li>
 *   <li>output is bounded ({@link BoundedWriter}).</li>
 * </ul>
 * Missing and null values render as the empty string; maps and lists render as JSON.
 */
final class TemplateEngine {

    /** A delimiter change anywhere ({@code {{=<% %>=}}}) — refused before JMustache sees it. */
    private static final Pattern DELIMITER_CHANGE = Pattern.compile("\\{\\{\\s*=");

    private static final Mustache.Collector COLLECTOR = new BasicCollector() {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    };

    private static final Mustache.Formatter FORMATTER = value -> switch (value) {
        case String s -> s;
        case Map<?, ?> m -> PlainJson.write(m);
        case List<?> l -> PlainJson.write(l);
        default -> String.valueOf(value);
    };

    /** For JSON templates: {@code {{x}}} is escaped for use inside a JSON string literal. */
    private static final Mustache.Escaper JSON_STRING_ESCAPER = TemplateEngine::escapeJsonString;

    private final Mustache.Compiler plain;
    private final Mustache.Compiler json;
    private final int maxTemplateLength;
    private final int maxReferenceDepth;

    TemplateEngine(int maxTemplateLength, int maxReferenceDepth) {
        Mustache.Compiler base = Mustache.compiler()
                .defaultValue("")
                .withCollector(COLLECTOR)
                .withFormatter(FORMATTER)
                .withLoader(name -> {
                    throw new IllegalStateException("partials are not supported");
                });
        this.plain = base.escapeHTML(false);
        this.json = base.withEscaper(JSON_STRING_ESCAPER);
        this.maxTemplateLength = maxTemplateLength;
        this.maxReferenceDepth = maxReferenceDepth;
    }

    /** Result of parsing: either a template with its variable names, or the reasons it was refused. */
    record Parsed(com.samskivert.mustache.Template template, List<String> variables, List<String> errors,
                  List<String> errorCodes) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    Parsed parse(String source, boolean jsonMode) {
        List<String> errors = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        if (source.length() > maxTemplateLength) {
            return refused("The template is " + source.length() + " characters long; the limit is " + maxTemplateLength + ".",
                    dev.switchboard.engine.ValidationProblem.TOO_LARGE);
        }
        if (DELIMITER_CHANGE.matcher(source).find()) {
            return refused("Changing delimiters ({{=...=}}) is not supported; use {{node.field}} references only.",
                    dev.switchboard.engine.ValidationProblem.TEMPLATE_UNSUPPORTED);
        }
        com.samskivert.mustache.Template compiled;
        try {
            compiled = (jsonMode ? json : plain).compile(source);
        } catch (MustacheException | IllegalStateException e) {
            return refused("The template can't be read: " + cleanMessage(e.getMessage()) + ".",
                    dev.switchboard.engine.ValidationProblem.TEMPLATE_SYNTAX);
        }
        List<String> variables = new ArrayList<>();
        boolean[] unclosedReported = {false};
        compiled.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
                if (text.contains("{{") && !unclosedReported[0]) {
                    unclosedReported[0] = true;
                    errors.add("A '{{' is never closed with '}}'; write references as {{node.field}}.");
                    codes.add(dev.switchboard.engine.ValidationProblem.TEMPLATE_SYNTAX);
                }
            }

            @Override
            public void visitVariable(String name) {
                variables.add(name);
            }

            @Override
            public boolean visitInclude(String name) {
                unsupported("partials ({{> " + name + "}})");
                return false;
            }

            @Override
            public boolean visitParent(String name) {
                unsupported("template inheritance ({{< " + name + "}})");
                return false;
            }

            @Override
            public boolean visitBlock(String name) {
                unsupported("blocks ({{$" + name + "}})");
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                unsupported("sections ({{#" + name + "}})");
                return false;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                unsupported("inverted sections ({{^" + name + "}})");
                return false;
            }

            private void unsupported(String what) {
                errors.add("Templates support only {{node.field}} references, not " + what + ".");
                codes.add(dev.switchboard.engine.ValidationProblem.TEMPLATE_UNSUPPORTED);
            }
        });
        for (String v : variables) {
            int depth = v.split("\\.", -1).length;
            if (depth > maxReferenceDepth) {
                errors.add("The reference {{" + v + "}} is nested " + depth + " levels deep; the limit is " + maxReferenceDepth + ".");
                codes.add(dev.switchboard.engine.ValidationProblem.TOO_LARGE);
            }
        }
        return new Parsed(errors.isEmpty() ? compiled : null, List.copyOf(variables), errors, codes);
    }

    private static Parsed refused(String message, String code) {
        return new Parsed(null, List.of(), List.of(message), List.of(code));
    }

    private static String cleanMessage(String message) {
        if (message == null) {
            return "syntax error";
        }
        String m = message.strip();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    static String escapeJsonString(String raw) {
        StringBuilder sb = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String rep = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> c < 0x20 || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
            };
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(raw.length() + 16).append(raw, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? raw : sb.toString();
    }
}
