package dev.switchboard.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StorableTextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void replacesNulEscapesWithTheReplacementCharacter() {
        String json = JSON.writeValueAsString(java.util.Map.of("text", "a\u0000b"));
        assertThat(json).contains("\\u0000");
        String storable = StorableText.jsonb(json);
        assertThat(JSON.readTree(storable).get("text").asString()).isEqualTo("a\uFFFDb");
    }

    @Test
    void leavesAnEscapedBackslashFollowedByU0000Alone() {
        String json = JSON.writeValueAsString(java.util.Map.of("text", "\\u0000 literally", "nul", "\u0000"));
        String storable = StorableText.jsonb(json);
        var tree = JSON.readTree(storable);
        assertThat(tree.get("text").asString()).isEqualTo("\\u0000 literally");
        assertThat(tree.get("nul").asString()).isEqualTo("\uFFFD");
    }

    @Test
    void returnsOtherJsonUnchanged() {
        String json = "{\"a\": \"\\u0001\\\\\\\"\"}";
        assertThat(StorableText.jsonb(json)).isSameAs(json);
        assertThat(StorableText.jsonb(null)).isNull();
    }

    @Test
    void recognisesPostgresRefusingACharacterAnywhereInTheCauses() {
        assertThat(StorableText.isUnstorableCharacter(new RuntimeException(new SQLException("x", "22P05")))).isTrue();
        assertThat(StorableText.isUnstorableCharacter(new RuntimeException(new SQLException("x", "22021")))).isTrue();
        assertThat(StorableText.isUnstorableCharacter(new RuntimeException(new SQLException("x", "23505")))).isFalse();
        assertThat(StorableText.isUnstorableCharacter(new RuntimeException("no sql"))).isFalse();
    }
}
