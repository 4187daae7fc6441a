package dev.switchboard.app.twilio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict {@code application/x-www-form-urlencoded} parser for webhook bodies. Unlike the servlet
 * container's lenient parsing (which drops what it cannot read), it refuses the whole body when a
 * percent escape is broken, the bytes are not valid in the charset, a name is empty or repeated —
 * because the signature covers exactly the parameters Twilio sent, silently dropping one would
 * make a valid request fail, or worse, let an invalid one through.
 */
final class FormBody {

    private FormBody() {
    }

    /** The body could not be read as form parameters; the message says why (never echoes values). */
    static final class MalformedFormException extends Exception {
        MalformedFormException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parameters in body order; values are never null. */
    static Map<String, String> parse(byte[] body, Charset charset) throws MalformedFormException {
        Map<String, String> params = new LinkedHashMap<>();
        int start = 0;
        int n = body.length;
        while (start <= n) {
            int end = indexOf(body, (byte) '&', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                int eq = indexOf(body, (byte) '=', start, end);
                String name = decode(body, start, eq < 0 ? end : eq, charset);
                String value = eq < 0 ? "" : decode(body, eq + 1, end, charset);
                if (name.isEmpty()) {
                    throw new MalformedFormException("A form parameter has an empty name");
                }
                if (params.putIfAbsent(name, value) != null) {
                    throw new MalformedFormException("The form parameter '" + printable(name) + "' appears more than once");
                }
            }
            start = end + 1;
        }
        return Collections.unmodifiableMap(params);
    }

    private static String decode(byte[] body, int from, int to, Charset charset) throws MalformedFormException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw new MalformedFormException("A percent escape is cut short");
                }
                int hi = Character.digit(body[i + 1], 16);
                int lo = Character.digit(body[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedFormException("A percent escape is not followed by two hex digits");
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFormException("The body is not valid " + charset.name());
        }
    }

    private static int indexOf(byte[] body, byte b, int from) {
        return indexOf(body, b, from, body.length);
    }

    private static int indexOf(byte[] body, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    static Charset charsetOf(String contentType) throws MalformedFormException {
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).replace("\"", "").strip();
                try {
                    return Charset.forName(name);
                } catch (RuntimeException e) {
                    throw new MalformedFormException("Unknown charset '" + printable(name) + "'");
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
