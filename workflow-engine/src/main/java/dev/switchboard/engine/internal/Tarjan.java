package dev.switchboard.engine.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tarjan's strongly connected components, iterative (no recursion depth limit). */
final class Tarjan {
    private final List<List<Integer>> succ;
    private final int[] index;
    private final int[] low;
    private final boolean[] onStack;
    private final ArrayDeque<Integer> stack = new ArrayDeque<>();
    private final List<List<Integer>> result = new ArrayList<>();
    private int counter;

    Tarjan(List<List<Integer>> succ) {
        this.succ = succ;
        int n = succ.size();
        index = new int[n];
        low = new int[n];
        onStack = new boolean[n];
        Arrays.fill(index, -1);
    }

    List<List<Integer>> components() {
        for (int v = 0; v < succ.size(); v++) {
            if (index[v] < 0) {
                visit(v);
            }
        }
        return result;
    }

    private void visit(int root) {
        ArrayDeque<int[]> work = new ArrayDeque<>();
        work.push(new int[] {root, 0});
        open(root);
        while (!work.isEmpty()) {
            int[] frame = work.peek();
            int v = frame[0];
            if (frame[1] < succ.get(v).size()) {
                int w = succ.get(v).get(frame[1]++);
                if (index[w] < 0) {
                    open(w);
                    work.push(new int[] {w, 0});
                } else if (onStack[w]) {
                    low[v] = Math.min(low[v], index[w]);
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {
                int parent = work.peek()[0];
                low[parent] = Math.min(low[parent], low[v]);
            }
            if (low[v] == index[v]) {
                List<Integer> component = new ArrayList<>();
                int w;
                do {
                    w = stack.pop();
                    onStack[w] = false;
                    component.add(w);
                } while (w != v);
                result.add(component);
            }
        }
    }

    private void open(int v) {
        index[v] = counter;
        low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
    }
}
