package dev.vpnrouter.radius;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Accounting records waiting for a server to take them, sans-IO: nothing is lost while RADIUS is down, within a
 * bound. Records go out in order, a few at a time; one the servers did not answer is tried again after
 * {@code retryMillis}, with Acct-Delay-Time saying how long it has waited (RFC 2866 5.2), until an
 * Accounting-Response takes it. At the bound an Interim-Update is given up first (a later one or the Stop carries
 * its counters); else the new record is. Every record given up is counted and logged, never silent.
 *
 * <p>The owner asks {@link #nextDue} on every turn of its loop: it is kept up to date (with the count in flight)
 * as records come and go, so that question costs nothing however long the queue is; only {@link #due}, when
 * something is due and a send may start, walks the queue.
 */
public final class AccountingQueue {
    private static final Logger LOG = LoggerFactory.getLogger(AccountingQueue.class);

    /** A record handed out to send: its {@code id} comes back in {@link #answered} or {@link #unanswered}. */
    public record Due(long id, List<Attribute> attributes) {
    }

    private static final class Waiting {
        final long id;
        final List<Attribute> attributes;
        final long queuedAt;
        long notBefore;
        boolean inFlight;

        Waiting(long id, List<Attribute> attributes, long queuedAt) {
            this.id = id;
            this.attributes = attributes;
            this.queuedAt = queuedAt;
        }

        boolean interim() {
            for (Attribute a : attributes) {
                if (a.type() == Attribute.ACCT_STATUS_TYPE) {
                    try {
                        return a.asInteger() == AccountingRecords.STATUS_INTERIM;
                    } catch (RadiusDecodeException e) {
                        return false;
                    }
                }
            }
            return false;
        }
    }

    private final int capacity;
    private final int maxInFlight;
    private final long retryMillis;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long nextId = 1;
    /** Records handed out by {@link #due} and not yet answered or unanswered. */
    private int inFlight;
    /** The earliest time a record not in flight is due (it may be earlier than the truth, never later). */
    private long nextDue = Long.MAX_VALUE;
    private long dropped;
    private long sent;
    private long answered;

    public AccountingQueue(int capacity, int maxInFlight, long retryMillis) {
        if (capacity < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("an accounting queue holds at least one record");
        }
        this.capacity = capacity;
        this.maxInFlight = maxInFlight;
        this.retryMillis = retryMillis;
    }

    /** Queues a record; false when the queue was full and this record was the one given up. */
    public boolean offer(List<Attribute> attributes, long now) {
        if (waiting.size() >= capacity) {
            Iterator<Waiting> it = waiting.iterator();
            Waiting victim = null;
            while (it.hasNext()) {
                Waiting w = it.next();
                if (!w.inFlight && w.interim()) {
                    victim = w;
                    it.remove();
                    break;
                }
            }
            dropped++;
            if (victim == null) {
                LOG.warn("RADIUS accounting queue full ({} records): a new record is given up ({} given up so far)",
                        capacity, dropped);
                return false;
            }
            LOG.warn("RADIUS accounting queue full ({} records): an Interim-Update waiting {} s is given up ({} "
                    + "given up so far)", capacity, (now - victim.queuedAt) / 1000, dropped);
        }
        waiting.add(new Waiting(nextId++, List.copyOf(attributes), now));
        nextDue = Math.min(nextDue, 0); // a new record is due at once
        return true;
    }

    /** The records to send now, oldest first, with their Acct-Delay-Time; each counts as in flight until told. */
    public List<Due> due(long now) {
        if (nextDue() > now) {
            return List.of();
        }
        List<Due> out = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Waiting w : waiting) {
            if (w.inFlight) {
                continue;
            }
            if (w.notBefore > now || inFlight >= maxInFlight) {
                next = Math.min(next, w.notBefore);
                continue;
            }
            w.inFlight = true;
            inFlight++;
            sent++;
            List<Attribute> attributes = new ArrayList<>(w.attributes);
            attributes.add(Attribute.integer(Attribute.ACCT_DELAY_TIME, Math.max(0, (now - w.queuedAt) / 1000)));
            out.add(new Due(w.id, attributes));
        }
        nextDue = next;
        return out;
    }

    /** A server took record {@code id}: it leaves the queue. */
    public void answered(long id) {
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.id == id) {
                it.remove();
                answered++;
                if (w.inFlight) {
                    inFlight--;
                }
                return;
            }
        }
    }

    /** No server took record {@code id}: it stays, to be tried again after the retry interval. */
    public void unanswered(long id, long now) {
        for (Waiting w : waiting) {
            if (w.id == id) {
                if (w.inFlight) {
                    inFlight--;
                }
                w.inFlight = false;
                w.notBefore = now + retryMillis;
                nextDue = Math.min(nextDue, w.notBefore);
                return;
            }
        }
    }

    /**
     * When {@link #due} may next have a record to give (never later than the truth), or {@code Long.MAX_VALUE}:
     * while the most records are in flight, none until one of them ends. Costs nothing: kept up to date.
     */
    public long nextDue() {
        return inFlight >= maxInFlight || waiting.size() == inFlight ? Long.MAX_VALUE : nextDue;
    }

    public int size() {
        return waiting.size();
    }

    /** Records given up at the bound, since the start. */
    public long dropped() {
        return dropped;
    }

    public long sent() {
        return sent;
    }

    public long answered() {
        return answered;
    }
}
