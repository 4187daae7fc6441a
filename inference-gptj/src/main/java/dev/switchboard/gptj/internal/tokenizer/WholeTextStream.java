package dev.switchboard.gptj.internal.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link TextStream} for tokenizers that are not byte-level: decodes all ids so far and hands out
 * the new suffix, holding it back while the text ends in U+FFFD (an unfinished character).
 */
final class WholeTextStream implements TextStream {

    private final Function<List<Integer>, String> decode;
    private final List<Integer> ids = new ArrayList<>();
    private int emitted;

    WholeTextStream(Function<List<Integer>, String> decode) {
        this.decode = decode;
    }

    @Override
    public String push(int id) {
        ids.add(id);
        String text = decode.apply(ids);
        if (text.endsWith("\uFFFD") || text.length() < emitted) {
            return "";
        }
        String delta = text.substring(emitted);
        emitted = text.length();
        return delta;
    }

    @Override
    public String finish() {
        String text = decode.apply(ids);
        String delta = text.length() > emitted ? text.substring(emitted) : "";
        emitted = Math.max(emitted, text.length());
        return delta;
    }
}
