package dev.switchboard.app.review;

import dev.switchboard.app.runs.NodeTrace;
import dev.switchboard.app.runs.RunRecord;
import dev.switchboard.app.runs.RunSuspensionListener;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Opens review tasks as soon as a run is recorded waiting for review. */
@Component
class ReviewTaskOpener implements RunSuspensionListener {

    // lazy: the run store (which calls us) is needed to build the review service
    private final ObjectProvider<ReviewService> reviews;

    ReviewTaskOpener(ObjectProvider<ReviewService> reviews) {
        this.reviews = reviews;
    }

    @Override
    public void onWaitingReview(RunRecord run, List<NodeTrace> trace) {
        reviews.getObject().open(run, trace);
    }
}
