package dev.switchboard.gptj.internal.tokenizer;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The bytes each token id stands for under a byte-level BPE ({@code decoder.type = ByteLevel}, as GPT-2
 * and GPT-J use): each character of a vocabulary entry is one byte through GPT-2's
 * {@code bytes_to_unicode} table. Decoding bytes rather than strings lets streaming hold back exactly
 * the bytes of an unfinished UTF-8 character.
 */
final class TokenBytes {

    private final byte[][] bytes; // [id] → bytes, null for unknown ids

    private TokenBytes(byte[][] bytes) {
        this.bytes = bytes;
    }

    /** The table for {@code tokenizer.json}, or null when its decoder is not byte-level. */
    static TokenBytes fromTokenizerJson(JsonNode root) {
        JsonNode decoder = root.path("decoder");
        if (!"ByteLevel".equals(decoder.path("type").asString(""))) {
            return null;
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject()) {
            return null;
        }
        Map<Character, Byte> charToByte = charToByte();
        int maxId = -1;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            maxId = Math.max(maxId, e.getValue().asInt());
        }
        for (JsonNode t : root.path("added_tokens")) {
            maxId = Math.max(maxId, t.path("id").asInt());
        }
        byte[][] table = new byte[maxId + 1][];
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            table[e.getValue().asInt()] = toBytes(e.getKey(), charToByte);
        }
        for (JsonNode t : root.path("added_tokens")) {
            table[t.path("id").asInt()] = toBytes(t.path("content").asString(""), charToByte);
        }
        return new TokenBytes(table);
    }

    /** Bytes of {@code id}, or null when the tokenizer does not know it. */
    byte[] of(int id) {
        return id >= 0 && id < bytes.length ? bytes[id] : null;
    }

    /**
     * As HF tokenizers' ByteLevel decoder: every character maps to its byte; a token with a character
     * outside the table is taken as its UTF-8 text instead.
     */
    private static byte[] toBytes(String token, Map<Character, Byte> charToByte) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            Byte b = charToByte.get(token.charAt(i));
            if (b == null) {
                return token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            out[i] = b;
        }
        return out;
    }

    /** GPT-2's {@code bytes_to_unicode}, inverted: printable bytes map to themselves, the rest to U+0100 onwards. */
    static Map<Character, Byte> charToByte() {
        Map<Character, Byte> map = new HashMap<>();
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            map.put(c, (byte) b);
        }
        return map;
    }
}
