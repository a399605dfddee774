package dev.pprof4j;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one continuous JFR {@link RecordingStream} of this JVM's pprof4j
 * samplers: however many handlers are created, they share it, so the cost of
 * JFR is paid once. It is opened by the first {@link #subscribe subscription} and closed
 * when the last user {@link #release(Subscription) releases} it.
 *
 * <p>Its buffers are bounded (events older than a few seconds or beyond a few
 * megabytes are dropped by JFR): samplers aggregate as events arrive and keep
 * no event.
 */
final class SharedRecordingStream {

    private static final Duration MAX_AGE = Duration.ofSeconds(10);
    private static final long MAX_SIZE = 16L * 1024 * 1024;
    /** JFR delivers about once a second; on a loaded machine, later. */
    private static final long DELIVERY_TIMEOUT_MILLIS = 5_000;
    private static final long PULSE_MILLIS = 250;

    /** Something done at intervals while waiting. */
    @FunctionalInterface
    interface Pulse<E extends Exception> {
        void beat() throws E;
    }

    private static final Logger log = LoggerFactory.getLogger(SharedRecordingStream.class);

    private static SharedRecordingStream current;
    /**
     * Numbers of {@link DeliveryMark}s, across streams: a stream opened after another closed may still be
     * handed the old one's last marks, which must not pass for its own later ones.
     */
    private static final AtomicLong MARKS = new AtomicLong();

    private final RecordingStream stream;
    /** Subscribers per event type; the stream has one action per type, which hands each event to them. */
    private final Map<String, List<Subscription>> subscribers = new HashMap<>();
    private final List<Subscription> flushSubscribers = new CopyOnWriteArrayList<>();
    /** The last {@link DeliveryMark} the stream delivered; written and read on the stream's thread. */
    private long markDelivered;
    private int users;

    /**
     * A subscription to one event type; give it back with {@link #release}.
     * It is handed what JFR records from its start on: a running stream
     * still holds up to a second of older events, such as the start of a
     * thread a profile already counts as started before it.
     */
    static final class Subscription {
        private final SharedRecordingStream stream;
        private final String event;
        private final Consumer<RecordedEvent> action;
        private final Runnable flushAction;
        /** The {@link DeliveryMark} after which events are this subscription's. */
        private final long startMark;
        /** Whether its start mark has been delivered; written and read on the stream's thread. */
        private boolean started;
        private long markDelivered;
        private boolean released;

        private Subscription(SharedRecordingStream stream, String event, Consumer<RecordedEvent> action,
                Runnable flushAction, long startMark) {
            this.stream = stream;
            this.event = event;
            this.startMark = startMark;
            // An exception escaping an action would end the stream for every subscriber.
            this.action = recorded -> {
                try {
                    action.accept(recorded);
                } catch (RuntimeException | LinkageError e) {
                    log.debug("pprof4j dropped a JFR event it could not read", e);
                }
            };
            this.flushAction = () -> {
                try {
                    flushAction.run();
                } catch (RuntimeException | LinkageError e) {
                    log.warn("pprof4j could not aggregate JFR events: {}", e.toString(), e);
                }
            };
        }

        /**
         * Waits until the subscriber has been handed, and has processed,
         * everything JFR recorded before this call (JFR delivers about once
         * a second); gives up after a few seconds.
         *
         * @throws SamplingStoppedException once the subscription has been released
         */
        void awaitDelivery() throws InterruptedException {
            awaitDelivery(() -> { });
        }

        /**
         * As {@link #awaitDelivery()}, running {@code pulse} every
         * quarter second of the wait: a streamed response keeps its connection busy.
         */
        <E extends Exception> void awaitDelivery(Pulse<E> pulse) throws InterruptedException, E {
            long mark = stream.mark();
            long deadline = System.nanoTime() + DELIVERY_TIMEOUT_MILLIS * 1_000_000;
            while (!awaitMark(mark, Math.min(PULSE_MILLIS, (deadline - System.nanoTime()) / 1_000_000))) {
                if (System.nanoTime() >= deadline) {
                    return;
                }
                pulse.beat();
            }
        }

        /** Whether the mark was delivered within {@code millis}. */
        private synchronized boolean awaitMark(long mark, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (!released && markDelivered < mark) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            if (released) {
                throw new SamplingStoppedException();
            }
            return true;
        }

        private synchronized void delivered(long mark) {
            markDelivered = mark;
            notifyAll();
        }
    }

    private SharedRecordingStream(RecordingStream stream) {
        this.stream = stream;
        stream.onEvent(DeliveryMark.NAME, recorded -> {
            long mark = recorded.getLong("mark");
            // Two threads may commit their marks in the other order than they numbered them.
            markDelivered = Math.max(markDelivered, mark);
            for (Subscription subscription : flushSubscribers) {
                subscription.started |= subscription.startMark <= mark;
            }
        });
        stream.onFlush(() -> {
            // Every subscriber has aggregated the batch before anyone waiting for it is woken.
            for (Subscription subscription : flushSubscribers) {
                subscription.flushAction.run();
            }
            for (Subscription subscription : flushSubscribers) {
                subscription.delivered(markDelivered);
            }
        });
    }

    /** Writes a {@link DeliveryMark} into the recording and returns its number. */
    private long mark() {
        long mark = MARKS.incrementAndGet();
        new DeliveryMark(mark).commit();
        return mark;
    }

    /**
     * Subscribes to an event type, enabling it with stack traces and
     * {@code setting=value} pairs (such as {@code throttle=500/s}). When
     * several users ask for the same event, the last settings apply.
     * {@code flushAction} runs, on the same thread as {@code action}, each
     * time JFR has delivered what it had recorded (about once a second).
     *
     * @throws JfrUnavailableException if JFR cannot record in this JVM
     */
    static Subscription subscribe(String event, Consumer<RecordedEvent> action, Runnable flushAction,
            String... settings) {
        synchronized (SharedRecordingStream.class) {
            if (current == null) {
                current = new SharedRecordingStream(open());
            }
            SharedRecordingStream shared = current;
            var enabled = shared.stream.enable(event).withStackTrace();
            for (int i = 0; i + 1 < settings.length; i += 2) {
                enabled.with(settings[i], settings[i + 1]);
            }
            Subscription subscription = new Subscription(shared, event, action, flushAction,
                    MARKS.incrementAndGet());
            // One stream action per event type for good: subscribers come and go in its list.
            shared.subscribers.computeIfAbsent(event, type -> {
                List<Subscription> ofType = new CopyOnWriteArrayList<>();
                shared.stream.onEvent(type, recorded -> {
                    for (Subscription each : ofType) {
                        if (each.started) {
                            each.action.accept(recorded);
                        }
                    }
                });
                return ofType;
            }).add(subscription);
            shared.flushSubscribers.add(subscription);
            shared.users++;
            // Written once the subscription is listed, so that its delivery starts it.
            new DeliveryMark(subscription.startMark).commit();
            return subscription;
        }
    }

    /**
     * Ends a subscription, once: releasing it again does nothing. The last
     * one of an event disables the event; the last of all closes the stream.
     */
    static void release(Subscription subscription) {
        synchronized (SharedRecordingStream.class) {
            synchronized (subscription) {
                if (subscription.released) {
                    return;
                }
                subscription.released = true;
                subscription.notifyAll();
            }
            SharedRecordingStream shared = subscription.stream;
            List<Subscription> ofType = shared.subscribers.get(subscription.event);
            ofType.remove(subscription);
            shared.flushSubscribers.remove(subscription);
            if (ofType.isEmpty()) {
                shared.stream.disable(subscription.event);
            }
            if (--shared.users == 0) {
                shared.stream.close();
                if (current == shared) {
                    current = null;
                }
            }
        }
    }

    private static RecordingStream open() {
        JfrUnavailableException.requireFlightRecorder();
        try {
            RecordingStream stream = new RecordingStream();
            stream.enable(DeliveryMark.NAME);
            stream.setMaxAge(MAX_AGE);
            stream.setMaxSize(MAX_SIZE);
            stream.setReuse(true);
            stream.startAsync();
            return stream;
        } catch (RuntimeException e) {
            throw new JfrUnavailableException(JfrUnavailableException.COULD_NOT_START, e);
        }
    }
}
