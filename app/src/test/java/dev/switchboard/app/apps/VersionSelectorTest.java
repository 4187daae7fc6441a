package dev.switchboard.app.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.web.ApiException;
import org.junit.jupiter.api.Test;

class VersionSelectorTest {

    @Test
    void parsesDraftLatestAndVersionNumbers() {
        assertThat(VersionSelector.parse(null)).isEqualTo(VersionSelector.LATEST);
        assertThat(VersionSelector.parse("latest")).isEqualTo(VersionSelector.LATEST);
        assertThat(VersionSelector.parse("DRAFT")).isEqualTo(VersionSelector.DRAFT);
        assertThat(VersionSelector.parse(" 3 ")).isEqualTo(new VersionSelector.Exact(3));
    }

    @Test
    void refusesAnythingElseWith422NamingTheField() {
        for (String bad : new String[] {"0", "-1", "v2", "1.5", "99999999999"}) {
            assertThatThrownBy(() -> VersionSelector.parse(bad)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status().value()).isEqualTo(422);
                assertThat(e.properties().get("errors").toString()).contains("version");
            });
        }
    }
}
