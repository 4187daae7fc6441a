package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.StreamEvent;
import dev.switchboard.gateway.StreamListener;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A cold publisher over a blocking streaming call: each subscription runs the call on its own virtual thread;
 * the thread waits for demand before each item, so a slow subscriber slows the upstream read. Cancellation
 * interrupts the call (which cancels the upstream request).
 */
final class StreamPublisher implements Flow.Publisher<StreamEvent> {

    private final Function<StreamListener, ModelResponse> call;

    StreamPublisher(Function<StreamListener, ModelResponse> call) {
        this.call = call;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super StreamEvent> subscriber) {
        Subscription s = new Subscription(subscriber);
        subscriber.onSubscribe(s);
        s.thread = Thread.ofVirtual().name("gateway-stream").start(s::run);
    }

    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super StreamEvent> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition demandAvailable = lock.newCondition();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private long demand;
        private volatile Thread thread;

        Subscription(Flow.Subscriber<? super StreamEvent> subscriber) {
            this.subscriber = subscriber;
        }

        void run() {
            try {
                ModelResponse response = call.apply(text -> emit(new StreamEvent.Delta(text)));
                emit(new StreamEvent.Completed(response));
                if (!cancelled.get()) {
                    subscriber.onComplete();
                }
            } catch (CancelledBySubscriber e) {
                // the subscriber went away; nobody to tell
            } catch (GatewayException e) {
                if (!cancelled.get()) {
                    subscriber.onError(e);
                }
            } catch (RuntimeException e) {
                if (!cancelled.get()) {
                    subscriber.onError(e);
                }
            }
        }

        private void emit(StreamEvent event) {
            lock.lock();
            try {
                while (demand == 0 && !cancelled.get()) {
                    demandAvailable.await();
                }
                if (cancelled.get()) {
                    throw new CancelledBySubscriber();
                }
                demand--;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledBySubscriber();
            } finally {
                lock.unlock();
            }
            subscriber.onNext(event);
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (rule 3.9)"));
                return;
            }
            lock.lock();
            try {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                demandAvailable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                lock.lock();
                try {
                    demandAvailable.signalAll();
                } finally {
                    lock.unlock();
                }
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                }
            }
        }
    }

    /** Unwinds the call when the subscriber cancelled. */
    private static final class CancelledBySubscriber extends RuntimeException {
        CancelledBySubscriber() {
            super(null, null, false, false);
        }
    }
}
