package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class EnginePropertiesTest {

    private static final WorkflowEngine ENGINE = WorkflowEngine.builder().build();

    @AfterContainer
    static void close() {
        ENGINE.close();
    }

    /**
     * A random DAG of transforms and constant conditions after one input, all sinks joined by an
     * output: the run succeeds, every node ends exactly once (finished or skipped), a node starts
     * only after all its predecessors ended, and it is skipped exactly when no incoming edge was taken.
     */
    @Property(tries = 150)
    void randomDagsRunEveryNodeOnceAndSkipExactlyTheUntakenOnes(@ForAll @IntRange(min = 1, max = 14) int size,
                                                                 @ForAll long seed) {
        Random random = new Random(seed);
        Graphs g = Graphs.graph().input("in", "text");
        List<String> ids = new ArrayList<>(List.of("in"));
        Map<String, Boolean> conditions = new HashMap<>();
        Map<String, List<String[]>> incoming = new HashMap<>();
        Set<String> hasOutgoing = new HashSet<>();
        for (int i = 0; i < size; i++) {
            String id = "n" + i;
            if (random.nextInt(3) == 0) {
                boolean value = random.nextBoolean();
                conditions.put(id, value);
                g.node(id, "condition", "{\"expression\": \"" + value + "\"}");
            } else {
                g.transform(id, "{{in.text}}-" + id);
            }
            int parents = 1 + random.nextInt(Math.min(3, ids.size()));
            Set<String> chosen = new HashSet<>();
            for (int p = 0; p < parents; p++) {
                chosen.add(ids.get(random.nextInt(ids.size())));
            }
            for (String parent : chosen) {
                String when = conditions.containsKey(parent) ? String.valueOf(random.nextBoolean()) : null;
                g.edge(parent, id, when);
                incoming.computeIfAbsent(id, k -> new ArrayList<>()).add(new String[] {parent, when});
                hasOutgoing.add(parent);
            }
            ids.add(id);
        }
        g.output("out", "answer", "done");
        for (String id : ids) {
            if (!hasOutgoing.contains(id)) {
                String when = conditions.containsKey(id) ? "true" : null;
                g.edge(id, "out", when);
                incoming.computeIfAbsent("out", k -> new ArrayList<>()).add(new String[] {id, when});
            }
        }
        ids.add("out");

        RecordingListener listener = new RecordingListener();
        RunOutcome outcome = ENGINE.run(ENGINE.compile(g.build()), RunRequest.of("p", Map.of("text", "x")), listener);

        assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        Map<String, Integer> endedAt = new HashMap<>();
        Set<String> skipped = new HashSet<>();
        List<RunEvent> events = listener.events;
        for (int i = 0; i < events.size(); i++) {
            RunEvent e = events.get(i);
            if (e instanceof RunEvent.NodeFinished f) {
                assertThat(endedAt.put(f.nodeId(), i)).as("ended twice: %s", f.nodeId()).isNull();
            } else if (e instanceof RunEvent.NodeSkipped s) {
                assertThat(endedAt.put(s.nodeId(), i)).as("ended twice: %s", s.nodeId()).isNull();
                skipped.add(s.nodeId());
            } else if (e instanceof RunEvent.NodeStarted s) {
                for (String[] in : incoming.getOrDefault(s.nodeId(), List.of())) {
                    assertThat(endedAt).as("%s started before %s ended", s.nodeId(), in[0]).containsKey(in[0]);
                }
            }
        }
        assertThat(endedAt.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        // reference semantics, in definition (= topological) order
        Set<String> expectedSkipped = new HashSet<>();
        for (String id : ids) {
            List<String[]> ins = incoming.getOrDefault(id, List.of());
            boolean anyTaken = ins.isEmpty() || ins.stream().anyMatch(in -> !expectedSkipped.contains(in[0])
                    && (in[1] == null || in[1].equals(String.valueOf(conditions.get(in[0])))));
            if (!anyTaken) {
                expectedSkipped.add(id);
            }
        }
        assertThat(skipped).isEqualTo(expectedSkipped);
    }

    @Provide
    Arbitrary<String> templateish() {
        return Arbitraries.of("{{", "}}", "{{{", "}}}", "#", "/", ">", "<", "=", "^", "&", "!", "$", "in.text", "in", ".",
                        "trigger.X", "a", " ", "\n", "{", "}", "in.text.class", "-first", "%")
                .list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    /** Any template source either validates or yields problems — never an exception — and a valid one renders safely. */
    @Property(tries = 400)
    void arbitraryTemplateSourcesNeverCrashTheEngine(@ForAll("templateish") String template,
                                                     @ForAll @StringLength(max = 40) String input) {
        GraphDefinition graph = Graphs.graph().input("in", "text").transform("t", template)
                .output("out", "x", "{{t.text}}").edge("in", "t").edge("t", "out").build();
        List<ValidationProblem> problems = ENGINE.validate(graph);
        if (problems.isEmpty()) {
            RunOutcome outcome = ENGINE.run(ENGINE.compile(graph), RunRequest.of("t", Map.of("text", input)));
            assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        } else {
            assertThat(problems).allSatisfy(p -> assertThat(p.nodeId()).isEqualTo("t"));
        }
    }

    /** Whatever users type is inserted as-is, never interpreted. */
    @Property(tries = 300)
    void inputIsInsertedVerbatim(@ForAll @StringLength(max = 200) String text) {
        GraphDefinition graph = Graphs.graph().input("in", "text").transform("t", "[{{in.text}}]")
                .output("out", "x", "{{t.text}}").edge("in", "t").edge("t", "out").build();
        RunOutcome outcome = ENGINE.run(ENGINE.compile(graph), RunRequest.of("v", Map.of("text", text)));
        assertThat(outcome.outputs()).containsEntry("x", "[" + text + "]");
    }
}
