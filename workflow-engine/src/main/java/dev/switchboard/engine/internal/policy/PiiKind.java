package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code policy.pii}: {@code types} (any of email, phone, credit_card, ssn, iban, ip_address;
 * default all), {@code regions} (countries whose national phone formats count, default
 * {@code ["US"]}), {@code restore} (keep a sealed placeholder map in output {@code vault} so a
 * later {@code policy.restore} node can put the values back). Default action: redact.
 */
final class PiiKind extends PolicyKind {

    private static final int MAX_REGIONS = 20;

    private final PiiVault vault;

    PiiKind(PolicyOptions options, PiiVault vault) {
        super("policy.pii", options);
        this.vault = vault;
    }

    @Override
    Action defaultAction() {
        return Action.REDACT;
    }

    @Override
    boolean canRedact() {
        return true;
    }

    @Override
    String defaultMessage() {
        return "Your message contains personal information (like an e-mail address or card number) and was not processed.";
    }

    @Override
    Set<String> extraFields(ObjectNode config) {
        return config.path("restore").asBoolean(false) ? Set.of("vault") : Set.of();
    }

    @Override
    Detector compileDetector(NodeCompiler c, Action action) {
        EnumSet<PiiType> types = types(c);
        List<String> regions = regions(c);
        boolean restore = c.optionalBoolean("restore").orElse(false);
        if (restore && action != Action.REDACT) {
            c.problem("restore", ValidationProblem.INVALID_CONFIG,
                    "'restore' keeps redacted values to put back later, so it needs action \"redact\".");
        }
        List<PiiFinder> finders = new ArrayList<>();
        // priority order: the more specific format claims a span first
        for (PiiType t : List.of(PiiType.EMAIL, PiiType.IBAN, PiiType.CREDIT_CARD, PiiType.SSN, PiiType.IP_ADDRESS, PiiType.PHONE)) {
            if (types.contains(t)) {
                finders.add(switch (t) {
                    case EMAIL -> new EmailFinder();
                    case IBAN -> new IbanFinder();
                    case CREDIT_CARD -> new CardFinder();
                    case SSN -> new SsnFinder();
                    case IP_ADDRESS -> new IpFinder();
                    case PHONE -> new PhoneFinder(regions);
                });
            }
        }
        return new PiiDetector(List.copyOf(finders), vault, restore);
    }

    private static EnumSet<PiiType> types(NodeCompiler c) {
        List<String> names = c.optionalTextList("types").orElse(null);
        if (names == null) {
            return EnumSet.allOf(PiiType.class);
        }
        EnumSet<PiiType> types = EnumSet.noneOf(PiiType.class);
        for (String n : names) {
            PiiType t = PiiType.fromWireName(n.strip().toLowerCase(Locale.ROOT));
            if (t == null) {
                c.problem("types", ValidationProblem.INVALID_CONFIG, "Unknown PII type '" + n + "'; use any of "
                        + Arrays.stream(PiiType.values()).map(PiiType::wireName).collect(Collectors.joining(", ")) + ".");
            } else {
                types.add(t);
            }
        }
        if (names.isEmpty()) {
            c.problem("types", ValidationProblem.INVALID_CONFIG, "'types' must name at least one kind of personal data.");
        }
        return types;
    }

    private static List<String> regions(NodeCompiler c) {
        List<String> names = c.optionalTextList("regions").orElse(List.of("US"));
        if (names.isEmpty() || names.size() > MAX_REGIONS) {
            c.problem("regions", ValidationProblem.INVALID_CONFIG, "'regions' must list 1 to " + MAX_REGIONS + " country codes like \"US\" or \"GB\".");
            return List.of("US");
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String r = n.strip().toUpperCase(Locale.ROOT);
            if (!PhoneFinder.isSupportedRegion(r)) {
                c.problem("regions", ValidationProblem.INVALID_CONFIG, "'" + n + "' is not a country code with a phone numbering plan (ISO 3166 alpha-2, e.g. \"US\", \"GB\", \"DE\").");
            } else if (!out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
