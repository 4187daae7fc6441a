package dev.switchboard.engine.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conversions between Jackson trees, JSON text and the plain Java values the engine passes
 * around (Map, List, String, Long, Double, Boolean, null). Thread-safe.
 */
public final class PlainJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private PlainJson() {
    }

    /** A JSON tree as plain Java values. */
    public static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return normalize(MAPPER.treeToValue(node, Object.class));
    }

    /** Parses JSON text into plain values; throws {@link JacksonException} when it isn't JSON. */
    public static Object parse(String text) {
        return normalize(MAPPER.readValue(text, Object.class));
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * Canonical plain form: integral numbers as Long (BigInteger outside long range as Double),
     * other numbers as Double; maps and lists copied recursively. Unknown objects become their
     * {@code toString()} so no arbitrary object ever reaches templates or expressions.
     */
    public static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigInteger bi -> bi.bitLength() < 64 ? (Object) bi.longValue() : (Object) bi.doubleValue();
            case BigDecimal bd -> normalizeDecimal(bd);
            case Number n -> n.doubleValue();
            case Map<?, ?> m -> normalizeMap(m);
            case List<?> l -> normalizeList(l);
            case CharSequence cs -> cs.toString();
            default -> value.toString();
        };
    }

    public static Map<String, Object> normalizeMap(Map<?, ?> map) {
        Map<String, Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            copy.put(String.valueOf(e.getKey()), normalize(e.getValue()));
        }
        return copy;
    }

    private static List<Object> normalizeList(List<?> list) {
        List<Object> copy = new ArrayList<>(list.size());
        for (Object o : list) {
            copy.add(normalize(o));
        }
        return copy;
    }

    private static Object normalizeDecimal(BigDecimal bd) {
        if (bd.scale() <= 0 || bd.stripTrailingZeros().scale() <= 0) {
            try {
                return bd.longValueExact();
            } catch (ArithmeticException tooBig) {
                return bd.doubleValue();
            }
        }
        return bd.doubleValue();
    }

    /** Nesting depth of a plain value (a scalar is 0). */
    public static int depth(Object value) {
        if (value instanceof Map<?, ?> m) {
            int max = 0;
            for (Object v : m.values()) {
                max = Math.max(max, depth(v));
            }
            return max + 1;
        }
        if (value instanceof List<?> l) {
            int max = 0;
            for (Object v : l) {
                max = Math.max(max, depth(v));
            }
            return max + 1;
        }
        return 0;
    }
}
