package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

    @Test
    void statusesOnlyMoveForward() {
        assertThat(DeliveryStatus.advances(null, "queued")).isTrue();
        assertThat(DeliveryStatus.advances("queued", "sent")).isTrue();
        assertThat(DeliveryStatus.advances("sent", "delivered")).isTrue();
        assertThat(DeliveryStatus.advances("delivered", "sent")).isFalse();
        assertThat(DeliveryStatus.advances("undelivered", "queued")).isFalse();
        assertThat(DeliveryStatus.advances("delivered", "read")).isTrue();
        assertThat(DeliveryStatus.advances("sent", "failed")).isTrue();
    }

    @Test
    void anUnknownNewStatusIsKeptOnlyBeforeAnyKnownOne() {
        assertThat(DeliveryStatus.advances(null, "some_future_status")).isTrue();
        assertThat(DeliveryStatus.advances("queued", "some_future_status")).isFalse();
    }
}
