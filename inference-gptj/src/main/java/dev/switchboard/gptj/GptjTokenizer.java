package dev.switchboard.gptj;

import java.util.List;

/** The model's tokenizer ({@code tokenizer.json}); thread-safe. */
public interface GptjTokenizer {

    /** Token ids of {@code text}, without special tokens added (as HF's GPT-J tokenizer does). */
    List<Integer> encode(String text);

    /** Text of the ids, special tokens included. */
    String decode(List<Integer> ids);

    /** Number of tokens {@code text} encodes to. */
    default int count(String text) {
        return encode(text).size();
    }
}
