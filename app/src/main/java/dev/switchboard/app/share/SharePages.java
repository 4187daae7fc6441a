package dev.switchboard.app.share;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.switchboard.engine.InputField;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the share pages from the Mustache templates under {@code classpath:share/templates}
 * (JMustache, HTML escaping on: every value a user or an app owner wrote is escaped). Templates
 * are compiled once; rendering is thread-safe.
 */
final class SharePages {

    static final String ASSETS = "/share-assets";
    private static final String TEMPLATES = "share/templates/";

    /**
     * Everything the app page shows.
     *
     * @param values field name → value as the form shows it (defaults, or what was submitted)
     * @param errors field name → plain-words problem
     * @param graphUrl the "how this app works" picture, or null when the owner did not enable it
     */
    record PageModel(String token, String name, String description, int version, ShareForm form,
            Map<String, String> values, Map<String, String> errors, String formError, PublicResult result,
            String graphUrl, String graphAlt) {
    }

    private final Template page;
    private final Template passcode;
    private final Template message;
    private final String assetVersion;
    private final JsonMapper json;

    SharePages(JsonMapper json) {
        this.json = json;
        Mustache.Compiler compiler = Mustache.compiler().escapeHTML(true).nullValue("")
                .withLoader(name -> reader(name + ".mustache"));
        this.page = compiler.compile(reader("page.mustache"));
        this.passcode = compiler.compile(reader("passcode.mustache"));
        this.message = compiler.compile(reader("message.mustache"));
        this.assetVersion = fingerprint("share/static/share.css", "share/static/share.js");
    }

    String assetVersion() {
        return assetVersion;
    }

    String page(PageModel m) {
        Map<String, Object> model = base(m.name(), m.version(), true);
        model.put("name", m.name());
        model.put("description", m.description());
        model.put("runUrl", "/s/" + m.token() + "/run");
        model.put("formError", m.formError());
        model.put("fields", fields(m));
        model.put("graphUrl", m.graphUrl());
        model.put("graphAlt", m.graphAlt());
        PublicResult r = m.result();
        model.put("hasResult", r != null);
        model.put("state", r == null ? "idle" : "succeeded".equals(r.status()) ? "done" : "error");
        model.put("statusText", r == null ? null : statusText(r.status()));
        model.put("tone", r == null ? "info" : tone(r.status()));
        model.put("message", r == null ? null : r.message());
        model.put("reference", r == null ? null : r.reference());
        model.put("outputs", r == null ? List.of() : outputs(r));
        return page.execute(model);
    }

    String passcode(String token, boolean wrong) {
        Map<String, Object> model = base("Passcode needed", null, false);
        model.put("unlockUrl", "/s/" + token + "/unlock");
        model.put("wrong", wrong);
        return passcode.execute(model);
    }

    String message(String title, String heading, String text, String back) {
        Map<String, Object> model = base(title, null, false);
        model.put("heading", heading);
        model.put("text", text);
        model.put("back", back);
        return message.execute(model);
    }

    private Map<String, Object> base(String title, Integer version, boolean script) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("assets", ASSETS);
        model.put("assetVersion", assetVersion);
        model.put("script", script);
        model.put("version", version);
        return model;
    }

    private static List<Map<String, Object>> fields(PageModel m) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (ShareForm.Spec s : m.form().specs()) {
            String id = "f-" + s.name();
            String value = m.values().get(s.name());
            String error = m.errors().get(s.name());
            List<String> describedBy = new ArrayList<>();
            if (s.help() != null) {
                describedBy.add(id + "-help");
            }
            if (s.field().maxLength() != null) {
                describedBy.add(id + "-count");
            }
            describedBy.add(id + "-error");
            Map<String, Object> f = new HashMap<>();
            f.put("id", id);
            f.put("name", s.name());
            f.put("label", s.label());
            f.put("help", s.help());
            f.put("placeholder", s.placeholder());
            f.put("required", s.field().required());
            f.put("maxLength", s.field().maxLength());
            f.put("type", s.field().type().wireName());
            f.put("value", value);
            f.put("error", error);
            f.put("describedBy", String.join(" ", describedBy));
            f.put("checked", "true".equals(value));
            boolean text = s.field().type() == InputField.Type.TEXT;
            f.put("checkbox", s.field().type() == InputField.Type.BOOLEAN);
            f.put("number", s.field().type() == InputField.Type.NUMBER);
            f.put("json", s.field().type() == InputField.Type.JSON);
            f.put("textarea", text && s.multiline());
            f.put("line", text && !s.multiline());
            f.put("rows", s.field().maxLength() != null && s.field().maxLength() <= 500 ? 3 : 6);
            fields.add(f);
        }
        return fields;
    }

    private List<Map<String, Object>> outputs(PublicResult r) {
        List<Map<String, Object>> outputs = new ArrayList<>();
        r.outputs().forEach((name, value) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            boolean structured = value instanceof Map || value instanceof List;
            o.put("label", ShareForm.humanize(name));
            o.put("value", value == null ? "" : structured
                    ? json.writerWithDefaultPrettyPrinter().writeValueAsString(value) : String.valueOf(value));
            o.put("structured", structured);
            outputs.add(o);
        });
        return outputs;
    }

    /** Plain words for a run status; share.js has the same table. */
    static String statusText(String status) {
        return switch (status) {
            case "succeeded" -> "Done.";
            case "blocked" -> "Blocked.";
            case "waiting_review" -> "Waiting for review.";
            case "rejected" -> "Declined.";
            case "cancelled" -> "Stopped.";
            case "queued", "running" -> "Working…";
            default -> "Something went wrong.";
        };
    }

    static String tone(String status) {
        return switch (status) {
            case "succeeded" -> "success";
            case "blocked", "rejected" -> "warning";
            case "waiting_review", "cancelled", "queued", "running" -> "info";
            default -> "error";
        };
    }

    private static Reader reader(String name) {
        InputStream in = SharePages.class.getClassLoader().getResourceAsStream(TEMPLATES + name);
        if (in == null) {
            throw new IllegalStateException("share page template missing from the class path: " + TEMPLATES + name);
        }
        try (in) {
            return new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fingerprint(String... resources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String resource : resources) {
                try (InputStream in = SharePages.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("share page asset missing from the class path: " + resource);
                    }
                    sha.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
