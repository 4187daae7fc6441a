package dev.switchboard.engine.internal.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho–Corasick automaton over chars: finds every occurrence of many patterns in one pass, O(text +
 * matches) whatever the number of patterns. Built once, immutable after construction, so safe to
 * share between threads.
 */
final class AhoCorasick {

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        Node fail;
        /** Indices of patterns ending here, including those reached through fail links. */
        int[] outputs = new int[0];
    }

    /** One occurrence: pattern index and its span {@code [start, end)} in the searched text. */
    record Hit(int pattern, int start, int end) {
    }

    private final Node root = new Node();
    private final int[] lengths;

    AhoCorasick(List<String> patterns) {
        lengths = new int[patterns.size()];
        for (int p = 0; p < patterns.size(); p++) {
            String s = patterns.get(p);
            lengths[p] = s.length();
            Node n = root;
            for (int i = 0; i < s.length(); i++) {
                n = n.next.computeIfAbsent(s.charAt(i), c -> new Node());
            }
            n.outputs = append(n.outputs, p);
        }
        ArrayDeque<Node> queue = new ArrayDeque<>();
        for (Node child : root.next.values()) {
            child.fail = root;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            for (Map.Entry<Character, Node> e : n.next.entrySet()) {
                Node child = e.getValue();
                Node f = n.fail;
                while (f != null && !f.next.containsKey(e.getKey())) {
                    f = f.fail;
                }
                child.fail = f == null ? root : f.next.get(e.getKey());
                if (child.fail == child) {
                    child.fail = root;
                }
                for (int o : child.fail.outputs) {
                    child.outputs = append(child.outputs, o);
                }
                queue.add(child);
            }
        }
    }

    List<Hit> search(String text) {
        List<Hit> hits = new ArrayList<>();
        Node n = root;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            while (n != root && !n.next.containsKey(c)) {
                n = n.fail;
            }
            n = n.next.getOrDefault(c, root);
            for (int p : n.outputs) {
                hits.add(new Hit(p, i + 1 - lengths[p], i + 1));
            }
        }
        return hits;
    }

    private static int[] append(int[] a, int v) {
        int[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
