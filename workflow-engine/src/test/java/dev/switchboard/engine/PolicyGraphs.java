package dev.switchboard.engine;

import dev.switchboard.engine.policy.PolicyKinds;
import dev.switchboard.engine.policy.PolicyOptions;

/** An engine with the policy kinds registered, for the policy tests of this package. */
final class PolicyGraphs {

    static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 3);
        }
    }

    private PolicyGraphs() {
    }

    static WorkflowEngine engine(ModelClient model) {
        return PolicyKinds.register(WorkflowEngine.builder().modelClient(model), PolicyOptions.defaults().withVaultKey(KEY)).build();
    }

    /** A one-field input "text" → policy node "p" with {@code config} → output "answer" = {{p.text}}. */
    static GraphDefinition single(String type, String config) {
        return Graphs.graph().input("in", "text").node("p", type, config).output("out", "answer", "{{p.text}}")
                .edge("in", "p").edge("p", "out").build();
    }
}
