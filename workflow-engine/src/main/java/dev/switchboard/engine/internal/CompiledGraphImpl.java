package dev.switchboard.engine.internal;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.InputCheck;
import dev.switchboard.engine.InputField;


import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Immutable, thread-safe compiled graph: nodes in definition order with resolved edges. */
final class CompiledGraphImpl implements CompiledGraph {

    final GraphDefinition definition;
    final CompiledNode[] nodes;
    final Map<String, Integer> indexById;
    final int inputIndex;
    final int[] outputNodes;
    private final InputSpec inputSpec;
    private final List<String> outputNames;

    private CompiledGraphImpl(GraphDefinition definition, CompiledNode[] nodes, Map<String, Integer> indexById,
                              int inputIndex, int[] outputNodes, InputSpec inputSpec, List<String> outputNames) {
        this.definition = definition;
        this.nodes = nodes;
        this.indexById = indexById;
        this.inputIndex = inputIndex;
        this.outputNodes = outputNodes;
        this.inputSpec = inputSpec;
        this.outputNames = outputNames;
    }

    /** Links compiled nodes (all valid) with the definition's edges. */
    static CompiledGraphImpl link(GraphDefinition definition, List<CompiledNode> compiled, String inputId) {
        CompiledNode[] nodes = compiled.toArray(CompiledNode[]::new);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].index = i;
            index.put(nodes[i].id, i);
        }
        List<List<CompiledNode.Out>> outs = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            outs.add(new ArrayList<>());
        }
        Set<EdgeDefinition> seen = new LinkedHashSet<>();
        for (EdgeDefinition e : definition.edges()) {
            if (seen.add(e)) {
                int from = index.get(e.from());
                int to = index.get(e.to());
                outs.get(from).add(new CompiledNode.Out(to, e.when()));
                nodes[to].inDegree++;
            }
        }
        List<Integer> outputIdx = new ArrayList<>();
        List<String> names = new ArrayList<>();
        InputSpec spec = null;
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].outs = outs.get(i).toArray(CompiledNode.Out[]::new);
            if (nodes[i].executor instanceof OutputKind.Executor out) {
                outputIdx.add(i);
                out.names().stream().filter(n -> !names.contains(n)).forEach(names::add);
            }
            if (nodes[i].executor instanceof InputKind.Executor in) {
                spec = in.spec();
            }
        }
        return new CompiledGraphImpl(definition, nodes, Map.copyOf(index), index.get(inputId),
                outputIdx.stream().mapToInt(Integer::intValue).toArray(), spec, List.copyOf(names));
    }

    @Override
    public GraphDefinition definition() {
        return definition;
    }

    @Override
    public List<InputField> inputFields() {
        return inputSpec.fields();
    }

    @Override
    public List<String> outputNames() {
        return outputNames;
    }

    @Override
    public InputCheck prepareInputs(Map<String, ?> inputs) {
        return inputSpec.prepare(inputs);
    }
}
