package dev.switchboard.app.testing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * App test suites ({@code switchboard.tests.*}).
 *
 * @param concurrency  cases of one test run executing at once
 * @param maxCases     test cases one app may have
 * @param judgeModel   model ({@code provider/model}) of {@code judge} assertions that name none;
 *                     null: every judge assertion must name its model
 * @param judgeTimeout how long one judge verdict may take (retries included)
 */
@ConfigurationProperties("switchboard.tests")
record TestProperties(@DefaultValue("4") int concurrency, @DefaultValue("200") int maxCases, String judgeModel,
        @DefaultValue("2m") Duration judgeTimeout) {
    TestProperties {
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("switchboard.tests.concurrency must be between 1 and 256");
        }
        if (maxCases < 1) {
            throw new IllegalArgumentException("switchboard.tests.max-cases must be >= 1");
        }
        if (judgeModel != null && judgeModel.isBlank()) {
            judgeModel = null;
        }
        if (judgeTimeout.isNegative() || judgeTimeout.isZero()) {
            throw new IllegalArgumentException("switchboard.tests.judge-timeout must be > 0");
        }
    }
}
