package dev.vpnrouter.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The lab's virtual clock: a deterministic discrete-event loop. Events at the same instant run in the order they
 * were scheduled, so a run is a pure function of its inputs and seed.
 */
public final class SimScheduler {
    private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private static final Runnable NOTHING = () -> { };

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long executed;
    private Runnable afterEach = NOTHING;

    public SimScheduler(long startMillis) {
        this.now = startMillis;
    }

    /** Current virtual time in milliseconds. */
    public long now() {
        return now;
    }

    /**
     * Runs {@code observer} after every event, or nothing with null: the lab's progress line looks at the wall clock
     * there. It must not schedule anything, so a run stays the same with or without it.
     */
    public void afterEachEvent(Runnable observer) {
        this.afterEach = observer == null ? NOTHING : observer;
    }

    public void at(long timeMillis, Runnable action) {
        queue.add(new Event(Math.max(timeMillis, now), sequence++, action));
    }

    public void after(long delayMillis, Runnable action) {
        at(now + Math.max(0, delayMillis), action);
    }

    /** Runs the next event; false when none is left. */
    public boolean step() {
        Event e = queue.poll();
        if (e == null) {
            return false;
        }
        now = e.time;
        executed++;
        e.action.run();
        afterEach.run();
        return true;
    }

    /** Runs every event up to and including {@code timeMillis}, then sets the clock there. */
    public void runUntil(long timeMillis) {
        while (!queue.isEmpty() && queue.peek().time <= timeMillis) {
            step();
        }
        now = Math.max(now, timeMillis);
    }

    /** Runs events until {@code done} holds or the clock passes {@code deadlineMillis}; returns whether it held. */
    public boolean runUntil(BooleanSupplier done, long deadlineMillis) {
        while (!done.getAsBoolean()) {
            Event next = queue.peek();
            if (next == null || next.time > deadlineMillis) {
                now = Math.max(now, deadlineMillis);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    public int pending() {
        return queue.size();
    }

    public long executed() {
        return executed;
    }
}
