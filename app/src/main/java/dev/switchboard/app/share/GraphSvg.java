package dev.switchboard.app.share;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.NodeDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Draws a graph as a standalone SVG document: a {@link GraphLayout} from left to right, nodes as
 * rounded boxes coloured by kind (id, type and, for the owner, a one-line summary of the config),
 * edges as curves with arrowheads and their {@code when} label. Every piece of user text is XML
 * escaped; styling uses presentation attributes only (no {@code <style>}, no script), so the
 * image works under a strict Content-Security-Policy. Stateless and thread-safe.
 */
final class GraphSvg {

    /**
     * @param details whether node boxes summarise their config (model, expression...): for the
     *     owner only; share pages show ids and types
     */
    record Options(String title, boolean details) {
    }

    private record Palette(String fill, String stroke, String label) {
    }

    private static final int NODE_W = 176;
    private static final int NODE_H = 58;
    private static final int GAP_X = 84;
    private static final int GAP_Y = 26;
    private static final int MARGIN = 24;
    private static final String FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

    private GraphSvg() {
    }

    static String render(GraphDefinition graph, Options options) {
        GraphLayout layout = GraphLayout.of(graph);
        int maxRows = layout.layers().stream().mapToInt(List::size).max().orElse(0);
        int columns = layout.layers().size();
        int width = Math.max(260, MARGIN * 2 + columns * NODE_W + Math.max(0, columns - 1) * GAP_X);
        int height = Math.max(90, MARGIN * 2 + maxRows * NODE_H + Math.max(0, maxRows - 1) * GAP_Y);

        Map<String, int[]> at = new HashMap<>();
        for (int c = 0; c < columns; c++) {
            List<String> layer = layout.layers().get(c);
            int layerHeight = layer.size() * NODE_H + Math.max(0, layer.size() - 1) * GAP_Y;
            int top = (height - layerHeight) / 2;
            for (int r = 0; r < layer.size(); r++) {
                at.put(layer.get(r), new int[] {MARGIN + c * (NODE_W + GAP_X), top + r * (NODE_H + GAP_Y)});
            }
        }

        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"graph-title graph-desc\" font-family=\"").append(FONT)
                .append("\">\n");
        svg.append("<title id=\"graph-title\">").append(xml(options.title())).append("</title>\n");
        svg.append("<desc id=\"graph-desc\">").append(xml(describe(layout))).append("</desc>\n");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#64748b\"/>"
                + "</marker></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        if (layout.nodes().isEmpty()) {
            svg.append("<text x=\"50%\" y=\"50%\" text-anchor=\"middle\" fill=\"#64748b\" font-size=\"14\">")
                    .append("This graph has no nodes</text>\n");
        }
        List<String> labels = new ArrayList<>();
        for (EdgeDefinition e : layout.edges()) {
            edge(svg, labels, e, at.get(e.from()), at.get(e.to()));
        }
        for (NodeDefinition node : layout.nodes().values()) {
            node(svg, node, at.get(node.id()), options.details());
        }
        labels.forEach(svg::append); // labels last, above edges and nodes
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void edge(StringBuilder svg, List<String> labels, EdgeDefinition e, int[] from, int[] to) {
        double x1 = from[0] + NODE_W;
        double y1 = from[1] + NODE_H / 2.0;
        double x2 = to[0] - 2;
        double y2 = to[1] + NODE_H / 2.0;
        double dx = Math.max(36, (x2 - x1) / 2);
        double c1x = x1 + dx;
        double c2x = x2 - dx;
        String colour = edgeColour(e.when());
        svg.append("<path d=\"M").append(n(x1)).append(',').append(n(y1)).append(" C").append(n(c1x)).append(',')
                .append(n(y1)).append(' ').append(n(c2x)).append(',').append(n(y2)).append(' ').append(n(x2)).append(',')
                .append(n(y2)).append("\" fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"1.6\" marker-end=\"url(#arrow)\"><title>")
                .append(xml(e.from() + " → " + e.to() + (e.when() == null ? "" : " when " + e.when())))
                .append("</title></path>\n");
        if (e.when() != null && !e.when().isBlank()) {
            // the curve's midpoint (t = 0.5 of the cubic Bézier)
            double mx = 0.125 * x1 + 0.375 * c1x + 0.375 * c2x + 0.125 * x2;
            double my = 0.5 * y1 + 0.5 * y2;
            String text = truncate(e.when(), 14);
            int w = 12 + text.length() * 7;
            labels.add("<g><rect x=\"" + n(mx - w / 2.0) + "\" y=\"" + n(my - 10) + "\" width=\"" + w
                    + "\" height=\"20\" rx=\"10\" fill=\"#ffffff\" stroke=\"" + colour + "\"/>"
                    + "<text x=\"" + n(mx) + "\" y=\"" + n(my + 4) + "\" text-anchor=\"middle\" font-size=\"11\" fill=\""
                    + colour + "\">" + xml(text) + "</text></g>\n");
        }
    }

    private static void node(StringBuilder svg, NodeDefinition node, int[] at, boolean details) {
        String type = node.type() == null ? "?" : node.type();
        Palette p = palette(type);
        String detail = details ? summary(node) : null;
        svg.append("<g><title>").append(xml(node.id() + " (" + type + ")" + (detail == null ? "" : ": " + detail)))
                .append("</title>");
        svg.append("<rect x=\"").append(at[0]).append("\" y=\"").append(at[1]).append("\" width=\"").append(NODE_W)
                .append("\" height=\"").append(NODE_H).append("\" rx=\"10\" fill=\"").append(p.fill())
                .append("\" stroke=\"").append(p.stroke()).append("\" stroke-width=\"1.5\"/>");
        svg.append("<rect x=\"").append(at[0]).append("\" y=\"").append(at[1]).append("\" width=\"6\" height=\"")
                .append(NODE_H).append("\" rx=\"3\" fill=\"").append(p.stroke()).append("\"/>");
        int textX = at[0] + 16;
        svg.append("<text x=\"").append(textX).append("\" y=\"").append(at[1] + 23)
                .append("\" font-size=\"14\" font-weight=\"600\" fill=\"#0f172a\">")
                .append(xml(truncate(node.id(), 20))).append("</text>");
        String second = detail == null ? type : truncate(type, 12) + " · " + detail;
        svg.append("<text x=\"").append(textX).append("\" y=\"").append(at[1] + 43)
                .append("\" font-size=\"12\" fill=\"").append(p.label()).append("\">")
                .append(xml(truncate(second, 24))).append("</text>");
        svg.append("</g>\n");
    }

    /** One line about a node's config, for its owner. */
    static String summary(NodeDefinition node) {
        JsonNode c = node.config();
        String type = node.type() == null ? "" : node.type();
        return switch (type) {
            case "ai" -> {
                JsonNode model = c.get("model");
                if (model != null && model.isArray() && !model.isEmpty()) {
                    String first = text(model.get(0));
                    yield (first == null ? "?" : first) + (model.size() > 1 ? " +" + (model.size() - 1) : "");
                }
                yield text(model);
            }
            case "condition" -> text(c.get("expression"));
            case "transform" -> text(c.get("template"));
            case "input" -> names(c.get("fields"), "name");
            case "output" -> {
                JsonNode values = c.get("values");
                yield values != null && values.isObject() ? String.join(", ", values.propertyNames()) : null;
            }
            case "http", "webhook" -> {
                String method = text(c.get("method"));
                String url = text(c.get("url"));
                yield ((method == null ? (type.equals("http") ? "GET" : "POST") : method) + " " + (url == null ? "" : url)).strip();
            }
            default -> text(c.get("action"));
        };
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }

    private static String names(JsonNode list, String field) {
        if (list == null || !list.isArray()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        list.forEach(f -> {
            String name = text(f.get(field));
            if (name != null) {
                names.add(name);
            }
        });
        return String.join(", ", names);
    }

    /** A sentence-per-edge text version of the picture (for screen readers and alt text). */
    static String describe(GraphLayout layout) {
        StringBuilder d = new StringBuilder();
        d.append(layout.nodes().size()).append(layout.nodes().size() == 1 ? " step" : " steps");
        if (!layout.edges().isEmpty()) {
            d.append(": ");
            List<String> parts = new ArrayList<>();
            for (EdgeDefinition e : layout.edges()) {
                parts.add(label(layout, e.from()) + " → " + label(layout, e.to())
                        + (e.when() == null ? "" : " (when " + e.when() + ")"));
            }
            d.append(String.join("; ", parts));
        }
        return d.append('.').toString();
    }

    private static String label(GraphLayout layout, String id) {
        NodeDefinition n = layout.nodes().get(id);
        return id + " [" + (n == null || n.type() == null ? "?" : n.type()) + "]";
    }

    static Palette palette(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (t.startsWith("policy.")) {
            return new Palette("#fef2f2", "#dc2626", "#991b1b");
        }
        return switch (t) {
            case "input" -> new Palette("#eff6ff", "#2563eb", "#1e40af");
            case "transform" -> new Palette("#f8fafc", "#64748b", "#334155");
            case "ai" -> new Palette("#f5f3ff", "#7c3aed", "#5b21b6");
            case "condition" -> new Palette("#fffbeb", "#d97706", "#92400e");
            case "output" -> new Palette("#f0fdf4", "#16a34a", "#166534");
            case "review" -> new Palette("#fff7ed", "#ea580c", "#9a3412");
            case "http", "webhook" -> new Palette("#f0fdfa", "#0d9488", "#115e59");
            case "sms" -> new Palette("#fdf2f8", "#db2777", "#9d174d");
            default -> new Palette("#f9fafb", "#6b7280", "#374151");
        };
    }

    private static String edgeColour(String when) {
        if (when == null) {
            return "#64748b";
        }
        return switch (when) {
            case EdgeDefinition.WHEN_TRUE -> "#15803d";
            case EdgeDefinition.WHEN_FALSE -> "#b91c1c";
            case EdgeDefinition.WHEN_ERROR -> "#c2410c";
            default -> "#475569";
        };
    }

    static String truncate(String text, int max) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        int length = oneLine.codePointCount(0, oneLine.length());
        if (length <= max) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** XML text/attribute escaping; characters XML 1.0 forbids are dropped. */
    static String xml(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                    if (allowed) {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.toString();
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
