package dev.vpnrouter.ike;

import java.util.PriorityQueue;

/**
 * When each ISAKMP SA next needs {@link SaTimers#fire}: one live entry per SA, at {@link IkeSa#timerAtMillis}.
 * Entries whose SA is gone or whose time moved are stale and dropped lazily when they reach the head; they are
 * counted so that a flood of half-open SAs, each evicted long before its first retransmission, cannot keep tens of
 * thousands of dead SAs reachable from the queue: past a bound the queue is compacted.
 */
final class TimerQueue {
    private record Entry(long atMillis, IkeSa sa) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            return Long.compare(atMillis, o.atMillis);
        }

        boolean stale() {
            return sa.deleted || sa.timerAtMillis != atMillis;
        }
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private int stale;

    /** Puts {@code sa} at the time its timers next need it ({@link SaTimers#next}). */
    void schedule(IkeSa sa) {
        long at = SaTimers.next(sa);
        if (at != sa.timerAtMillis) {
            if (sa.timerAtMillis != Long.MAX_VALUE) {
                wentStale();
            }
            sa.timerAtMillis = at;
            if (at != Long.MAX_VALUE) {
                queue.add(new Entry(at, sa));
            }
        }
    }

    /** {@code sa} is gone: its entry, if any, is stale now. */
    void removed(IkeSa sa) {
        if (sa.timerAtMillis != Long.MAX_VALUE) {
            wentStale();
        }
    }

    /** The next SA due at {@code now}, taken off the queue (reschedule it after firing), or null. */
    IkeSa pollDue(long now) {
        while (!queue.isEmpty() && queue.peek().atMillis <= now) {
            Entry e = queue.poll();
            if (e.stale()) {
                stale = Math.max(0, stale - 1);
                continue;
            }
            e.sa.timerAtMillis = Long.MAX_VALUE;
            return e.sa;
        }
        return null;
    }

    /** When the first live entry is due, or {@link Long#MAX_VALUE}. */
    long nextMillis() {
        while (!queue.isEmpty()) {
            Entry e = queue.peek();
            if (!e.stale()) {
                return e.atMillis;
            }
            queue.poll();
            stale = Math.max(0, stale - 1);
        }
        return Long.MAX_VALUE;
    }

    /** Entries, live and stale (tests: a flood must not grow it without bound). */
    int size() {
        return queue.size();
    }

    private void wentStale() {
        if (++stale > 1_024 && stale > queue.size() / 2) {
            queue.removeIf(Entry::stale);
            stale = 0;
        }
    }
}
