package dev.switchboard.app.policy;

import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.policy.PolicyKinds;
import dev.switchboard.engine.policy.PolicyOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Registers the governance node kinds ({@code policy.*}, {@code policy.restore}, {@code review})
 * with the engine: each is a {@link NodeKind} bean, which the engine configuration picks up.
 */
@Configuration(proxyBeanMethods = false)
class PolicyConfiguration {

    /** The kinds by type, built once with the operator's options and a vault key kept across restarts. */
    record PolicyKindSet(Map<String, NodeKind> byType) {
        NodeKind get(String type) {
            return byType.get(type);
        }
    }

    @Bean
    PolicyKindSet policyKindSet(PolicyProperties properties, JdbcTemplate jdbc, Clock clock) {
        byte[] key = properties.vaultKeyBytes();
        if (key == null) {
            key = storedKey(jdbc, clock);
        }
        PolicyOptions options = PolicyOptions.defaults().withVaultKey(key)
                .withReviewTimeouts(properties.reviewDefaultTimeout(), properties.reviewMaxTimeout());
        return new PolicyKindSet(PolicyKinds.all(options).stream()
                .collect(Collectors.toUnmodifiableMap(NodeKind::type, Function.identity())));
    }

    /** The database's vault key, created by whichever instance gets there first. */
    static byte[] storedKey(JdbcTemplate jdbc, Clock clock) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        jdbc.update("INSERT INTO policy_keys (name, key_bytes, created_at) VALUES ('pii-vault', ?, ?) ON CONFLICT (name) DO NOTHING",
                fresh, clock.instant().atOffset(ZoneOffset.UTC));
        List<byte[]> keys = jdbc.query("SELECT key_bytes FROM policy_keys WHERE name = 'pii-vault'", (rs, n) -> rs.getBytes(1));
        return keys.getFirst();
    }

    @Bean
    NodeKind policyPiiKind(PolicyKindSet kinds) {
        return kinds.get("policy.pii");
    }

    @Bean
    NodeKind policyBlocklistKind(PolicyKindSet kinds) {
        return kinds.get("policy.blocklist");
    }

    @Bean
    NodeKind policyRegexKind(PolicyKindSet kinds) {
        return kinds.get("policy.regex");
    }

    @Bean
    NodeKind policyLengthKind(PolicyKindSet kinds) {
        return kinds.get("policy.length");
    }

    @Bean
    NodeKind policyInjectionKind(PolicyKindSet kinds) {
        return kinds.get("policy.injection");
    }

    @Bean
    NodeKind policyRuleKind(PolicyKindSet kinds) {
        return kinds.get("policy.rule");
    }

    @Bean
    NodeKind policyJudgeKind(PolicyKindSet kinds) {
        return kinds.get("policy.judge");
    }

    @Bean
    NodeKind policyRestoreKind(PolicyKindSet kinds) {
        return kinds.get("policy.restore");
    }

    @Bean
    NodeKind reviewKind(PolicyKindSet kinds) {
        return kinds.get("review");
    }
}
