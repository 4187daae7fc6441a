package dev.switchboard.app.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewStatusTest {

    @Test
    void listsEveryTransition() {
        List<String> transitions = new ArrayList<>();
        for (ReviewStatus from : ReviewStatus.values()) {
            for (ReviewStatus to : ReviewStatus.values()) {
                if (from.canMoveTo(to)) {
                    transitions.add(from.wireName() + " -> " + to.wireName());
                }
            }
        }
        assertThat(transitions).containsExactly(
                "open -> approved",
                "open -> edited",
                "open -> rejected",
                "open -> timed_out");
    }

    @Test
    void onlyOpenIsUndecided() {
        assertThat(ReviewStatus.OPEN.isFinal()).isFalse();
        for (ReviewStatus s : List.of(ReviewStatus.APPROVED, ReviewStatus.EDITED, ReviewStatus.REJECTED, ReviewStatus.TIMED_OUT)) {
            assertThat(s.isFinal()).as(s.wireName()).isTrue();
        }
    }

    @Test
    void parsesWireNamesAndRefusesOthers() {
        assertThat(ReviewStatus.fromWireName("timed_out")).isEqualTo(ReviewStatus.TIMED_OUT);
        assertThatThrownBy(() -> ReviewStatus.fromWireName("pending")).hasMessageContaining("open, approved, edited");
    }
}
