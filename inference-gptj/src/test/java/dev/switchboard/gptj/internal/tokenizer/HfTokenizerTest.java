package dev.switchboard.gptj.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gptj.Fixtures;
import dev.switchboard.gptj.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class HfTokenizerTest {

    private static HfTokenizer tok;

    @BeforeAll
    static void load() {
        tok = HfTokenizer.load(Fixtures.tokenizer());
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        Fixtures.json(Fixtures.tokenizer().resolve("tokenizer-cases.json")).forEach(out::add);
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void encodesAndDecodesExactlyAsHfTokenizers(JsonNode c) {
        String text = c.get("text").asString();
        List<Integer> ids = Fixtures.intList(c.get("ids"));
        assertThat(tok.encode(text)).containsExactlyElementsOf(ids);
        assertThat(tok.count(text)).isEqualTo(ids.size());
        assertThat(tok.decode(ids)).isEqualTo(c.get("decoded").asString());
    }

    @Test
    void longTextIsNotTruncated() {
        String text = String.join(" ", java.util.Collections.nCopies(3000, "word"));
        assertThat(tok.count(text)).isEqualTo(3000);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamedDeltasConcatenateToTheDecodedText(JsonNode c) {
        List<Integer> ids = Fixtures.intList(c.get("ids"));
        assertThat(streamed(ids)).isEqualTo(c.get("decoded").asString());
    }

    @Test
    void deltasNeverEndInsideAUtf8Character() {
        // " 😀" is two byte-level tokens (30325 = " " F0 9F 98, 222 = 80): the first yields the space only.
        TextStream s = tok.newStream();
        assertThat(s.push(30325)).isEqualTo(" ");
        assertThat(s.push(222)).isEqualTo("😀");
        assertThat(s.finish()).isEmpty();
    }

    @Test
    void randomTokenSequencesStreamToTheSameTextAsHfDecode() {
        // Random ids produce broken UTF-8 sequences: the replacement characters must match HF's too.
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            List<Integer> ids = new ArrayList<>();
            int len = 1 + rnd.nextInt(12);
            for (int i = 0; i < len; i++) {
                // Bias towards single-byte tokens (ids 0..255 and the multibyte-fragment region) to hit partial characters.
                ids.add(rnd.nextInt(3) == 0 ? rnd.nextInt(50400) : rnd.nextInt(256));
            }
            assertThat(streamed(ids)).as("ids %s", ids).isEqualTo(tok.decode(ids));
        }
    }

    @Test
    void missingTokenizerJsonIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json").hasMessageContaining("missing");
    }

    @Test
    void tokenBytesCoverEveryByte() {
        assertThat(TokenBytes.charToByte()).hasSize(256);
        assertThat(new String(new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, StandardCharsets.UTF_8)).isEqualTo("€");
    }

    private static String streamed(List<Integer> ids) {
        TextStream s = tok.newStream();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(s.push(id));
        }
        return sb.append(s.finish()).toString();
    }
}
