package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.List;

/** Builds the policy node kinds for {@link dev.switchboard.engine.policy.PolicyKinds}. */
public final class PolicyKindFactory {

    private PolicyKindFactory() {
    }

    public static List<NodeKind> create(PolicyOptions options) {
        byte[] key = options.vaultKey();
        PiiVault vault = key == null ? PiiVault.withRandomKey() : new PiiVault(key);
        return List.of(new PiiKind(options, vault), new BlocklistKind(options), new RegexKind(options),
                new LengthKind(options), new InjectionKind(options), new RuleKind(options), new JudgeKind(options),
                new RestoreKind(vault), new ReviewKind(options));
    }
}
