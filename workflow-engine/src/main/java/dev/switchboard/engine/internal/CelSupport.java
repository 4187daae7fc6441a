package dev.switchboard.engine.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Condition expressions in CEL (Common Expression Language): non-Turing-complete, no access to
 * Java classes, no I/O. On top of that we cap source length, comprehension iterations,
 * evaluation steps and the size of intermediate strings/lists (see {@link CompiledExpression}).
 * String functions that can grow output multiplicatively ({@code replace}, {@code join}) are not
 * offered.
 */
final class CelSupport {

    static final String TRIGGER = "trigger";
    static final String NODES = "nodes";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> CEL_RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");

    private static final MapType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final CelOptions options;
    private final CelRuntime runtime;
    private final CelStringExtensions strings;
    private final int maxLength;

    CelSupport(int maxLength, int maxIterations) {
        this.maxLength = maxLength;
        this.options = CelOptions.current()
                .maxExpressionCodePointSize(maxLength)
                .maxParseRecursionDepth(64)
                .comprehensionMaxIterations(maxIterations)
                .enableHeterogeneousNumericComparisons(true)
                .maxRegexProgramSize(1000)
                .build();
        this.strings = CelExtensions.strings(
                CelStringExtensions.Function.CHAR_AT, CelStringExtensions.Function.INDEX_OF,
                CelStringExtensions.Function.LAST_INDEX_OF, CelStringExtensions.Function.LOWER_ASCII,
                CelStringExtensions.Function.UPPER_ASCII, CelStringExtensions.Function.SUBSTRING,
                CelStringExtensions.Function.TRIM, CelStringExtensions.Function.SPLIT);
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).addLibraries(strings).build();
    }

    static boolean isCelVariableName(String id) {
        return IDENTIFIER.matcher(id).matches() && !CEL_RESERVED.contains(id);
    }

    /** A compiler for one graph: every node id usable as a CEL identifier, plus {@code trigger} and {@code nodes}. */
    Scope scope(Collection<String> nodeIds) {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(strings)
                .addVar(TRIGGER, DYN_MAP)
                .addVar(NODES, DYN_MAP);
        Set<String> declared = new LinkedHashSet<>();
        for (String id : nodeIds) {
            if (isCelVariableName(id) && !id.equals(TRIGGER) && !id.equals(NODES) && declared.add(id)) {
                b.addVar(id, DYN_MAP);
            }
        }
        return new Scope(b.build(), Set.copyOf(nodeIds), declared);
    }

    /** Outcome of compiling one expression: the expression or error messages (with a code each). */
    record Compiled(CompiledExpression expression, List<String> errors, List<String> codes) {
    }

    final class Scope {
        private final CelCompiler compiler;
        private final Set<String> nodeIds;
        private final Set<String> declared;

        private Scope(CelCompiler compiler, Set<String> nodeIds, Set<String> declared) {
            this.compiler = compiler;
            this.nodeIds = nodeIds;
            this.declared = declared;
        }

        Compiled compile(String source, boolean mustBeBoolean) {
            List<String> errors = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            if (source.length() > maxLength) {
                errors.add("The expression is " + source.length() + " characters long; the limit is " + maxLength + ".");
                codes.add(dev.switchboard.engine.ValidationProblem.TOO_LARGE);
                return new Compiled(null, errors, codes);
            }
            CelAbstractSyntaxTree ast;
            try {
                ast = compiler.compile(source).getAst();
            } catch (CelValidationException e) {
                for (CelIssue issue : e.getErrors()) {
                    describeIssue(source, issue, errors, codes);
                }
                return new Compiled(null, errors, codes);
            }
            if (mustBeBoolean) {
                CelKind kind = ast.getResultType().kind();
                if (kind != CelKind.BOOL && kind != CelKind.DYN) {
                    errors.add("The condition must produce true or false, but it produces a " + ast.getResultType().name() + ".");
                    codes.add(dev.switchboard.engine.ValidationProblem.EXPRESSION_ERROR);
                    return new Compiled(null, errors, codes);
                }
            }
            Set<String> refs = references(ast);
            CelRuntime.Program program;
            try {
                program = runtime.createProgram(ast);
            } catch (CelEvaluationException e) {
                errors.add("The expression can't be prepared: " + e.getMessage());
                codes.add(dev.switchboard.engine.ValidationProblem.EXPRESSION_ERROR);
                return new Compiled(null, errors, codes);
            }
            return new Compiled(new CompiledExpression(source, program, refs, mustBeBoolean), errors, codes);
        }

        private void describeIssue(String source, CelIssue issue, List<String> errors, List<String> codes) {
            String msg = issue.getMessage();
            String where = issue.getSourceLocation().getColumn() >= 0
                    ? " (at column " + (issue.getSourceLocation().getColumn() + 1) + ")" : "";
            if (msg.startsWith("undeclared reference to '")) {
                String name = msg.substring("undeclared reference to '".length(), msg.indexOf('\'', "undeclared reference to '".length()));
                if (!nodeIds.contains(name) && !name.contains(".")) {
                    errors.add("The expression refers to '" + name + "', which is not a node in this graph or a function CEL offers" + where + ".");
                    codes.add(dev.switchboard.engine.ValidationProblem.UNKNOWN_REFERENCE);
                    return;
                }
            }
            StringBuilder sb = new StringBuilder("The expression doesn't compile: ").append(msg).append(where).append('.');
            for (String id : nodeIds) {
                if (!declared.contains(id) && source.contains(id + ".")) {
                    sb.append(" Node '").append(id).append("' is not a valid CEL name; write nodes['").append(id).append("'] instead.");
                    break;
                }
            }
            errors.add(sb.toString());
            codes.add(dev.switchboard.engine.ValidationProblem.EXPRESSION_ERROR);
        }

        /** Node ids the expression reads, directly or as {@code nodes.x} / {@code nodes['x']}. */
        private Set<String> references(CelAbstractSyntaxTree ast) {
            Set<String> refs = new LinkedHashSet<>();
            CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach(nav -> {
                CelExpr e = nav.expr();
                switch (e.getKind()) {
                    case IDENT -> {
                        if (nodeIds.contains(e.ident().name()) && !boundByComprehension(nav, e.ident().name())) {
                            refs.add(e.ident().name());
                        }
                    }
                    case SELECT -> {
                        if (isNodesIdent(e.select().operand())) {
                            refs.add(e.select().field());
                        }
                    }
                    case CALL -> {
                        if (e.call().function().equals("_[_]") && e.call().args().size() == 2
                                && isNodesIdent(e.call().args().get(0))) {
                            CelExpr key = e.call().args().get(1);
                            if (key.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                                    && key.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                                refs.add(key.constant().stringValue());
                            }
                        }
                    }
                    default -> {
                    }
                }
            });
            return refs;
        }

        /** True when {@code name} at {@code nav} is a comprehension variable ({@code list.all(x, ...)}), not a node. */
        private static boolean boundByComprehension(CelNavigableExpr nav, String name) {
            CelNavigableExpr child = nav;
            for (var parent = nav.parent(); parent.isPresent(); parent = parent.get().parent()) {
                CelExpr p = parent.get().expr();
                if (p.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION
                        && (p.comprehension().iterVar().equals(name) || p.comprehension().accuVar().equals(name))
                        && child.id() != p.comprehension().iterRange().id()) {
                    return true;
                }
                child = parent.get();
            }
            return false;
        }

        private boolean isNodesIdent(CelExpr e) {
            return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(NODES);
        }
    }
}
