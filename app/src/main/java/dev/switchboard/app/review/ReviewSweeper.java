package dev.switchboard.app.review;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every {@code switchboard.reviews.sweep-interval}: decides tasks past their due time by their
 * {@code onTimeout}, and opens tasks for runs left waiting without one. All state is in the
 * database and rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so any number of instances
 * may sweep at once.
 */
@Component
class ReviewSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReviewSweeper.class);

    private final ReviewService reviews;
    private final ReviewProperties properties;
    private ScheduledExecutorService timer;

    ReviewSweeper(ReviewService reviews, ReviewProperties properties) {
        this.reviews = reviews;
        this.properties = properties;
    }

    void sweep() {
        try {
            int decided;
            do {
                decided = reviews.decideTimedOut(properties.sweepBatch());
                if (decided > 0) {
                    log.info("Decided {} timed-out review(s)", decided);
                }
            } while (decided == properties.sweepBatch());
            reviews.repairWaitingRuns(properties.sweepBatch());
        } catch (RuntimeException e) {
            log.warn("Review sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("review-sweeper").factory());
        long ms = properties.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
