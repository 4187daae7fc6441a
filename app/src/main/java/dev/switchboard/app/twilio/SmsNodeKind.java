package dev.switchboard.app.twilio;

import dev.switchboard.app.twilio.TwilioProperties.LongBodyPolicy;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code sms}: sends a text message from the app's Twilio number.
 * Config: {@code to} (template, default {@code {{trigger.From}}}: reply to the sender),
 * {@code body} (template, required), {@code longBody} ({@code split} | {@code truncate}; default
 * {@code switchboard.twilio.long-body}). Exposes {@code sid} (first message's Twilio sid),
 * {@code status} ({@code queued}/{@code accepted}..., {@code opted_out} when the recipient opted
 * out and nothing was sent, {@code inline} when replied as TwiML), {@code to}, {@code parts},
 * {@code sids}. Sending is exactly-once per run and node; see {@link SmsSender}.
 */
@Component
class SmsNodeKind implements NodeKind {

    static final String TYPE = "sms";
    private static final String DEFAULT_TO = "{{trigger.From}}";

    private final SmsSender sender;
    private final TwilioProperties properties;

    SmsNodeKind(SmsSender sender, TwilioProperties properties) {
        this.sender = sender;
        this.properties = properties;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("sid", "status", "to", "parts", "sids"));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        Template to = c.template("to", c.optionalText("to").filter(s -> !s.isBlank()).orElse(DEFAULT_TO));
        Optional<String> bodySource = c.requiredText("body");
        Template body = bodySource.map(s -> c.template("body", s)).orElse(null);
        LongBodyPolicy longBody = c.optionalText("longBody").map(v -> policy(c, v)).orElse(properties.longBody());
        if (body == null || longBody == null) {
            return null;
        }
        return ctx -> sender.send(new SmsSender.SmsRequest(ctx.run(), ctx.trigger(), ctx.nodeId(), ctx.render(to),
                ctx.render(body), longBody, ctx.deadline()));
    }

    private static LongBodyPolicy policy(NodeCompiler c, String value) {
        try {
            return LongBodyPolicy.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            c.problem("longBody", ValidationProblem.INVALID_CONFIG, "'longBody' must be \"split\" or \"truncate\".");
            return null;
        }
    }
}
