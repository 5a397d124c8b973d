package dev.vpnrouter.router;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The datagrams of one IKE port waiting for the loop, bounded in count and bytes, in two queues: Informational
 * exchanges (DPD R-U-THERE and its ACK, Deletes, notifies: cheap, no Diffie-Hellman) and everything else (Main,
 * Aggressive and Quick Modes, Transactions, ESP in UDP when the kernel did not steer it away). The loop serves every
 * waiting Informational before each bounded helping of the rest ({@link #serve}), so a peer's R-U-THERE is answered
 * within one helping's time even while thousands of Quick Modes with PFS wait: a DPD answer is never queued behind
 * a rekey wave. A datagram that finds its queue full is dropped and counted, as a full socket buffer would drop it.
 *
 * <p>One producer (the port's reader thread), one consumer (the loop). Sans-IO, so benchmarks drive it directly.
 */
public final class IkeIntake {
    /** One datagram as received: its own copy of the bytes, and where it came from. */
    public record Received(byte[] data, int fromAddress, int fromPort) {
    }

    /** What the loop does with a datagram. */
    public interface Handler {
        void handle(Received datagram);
    }

    /** ISAKMP exchange type 5 (RFC 2408 §4.8). */
    private static final int INFORMATIONAL = 5;
    /** Where the exchange type is in an ISAKMP header: after the two cookies, next payload and version. */
    private static final int EXCHANGE_TYPE_OFFSET = 18;

    private final boolean nonEspMarker;
    private final ArrayBlockingQueue<Received> informational;
    private final ArrayBlockingQueue<Received> rest;
    private final long maxBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile long drops;

    /**
     * @param nonEspMarker true on port 4500, where IKE follows four zero bytes (RFC 3948)
     * @param capacity     datagrams per queue
     * @param maxBytes     bytes held in both queues together
     */
    public IkeIntake(boolean nonEspMarker, int capacity, long maxBytes) {
        this.nonEspMarker = nonEspMarker;
        this.informational = new ArrayBlockingQueue<>(capacity);
        this.rest = new ArrayBlockingQueue<>(capacity);
        this.maxBytes = maxBytes;
    }

    /** Queues a datagram (the bytes are the caller's to keep); false when it was dropped for want of room. */
    public boolean offer(Received datagram) {
        int n = datagram.data().length;
        if (queuedBytes.addAndGet(n) > maxBytes) {
            queuedBytes.addAndGet(-n);
            drops++;
            return false;
        }
        if (!(isInformational(datagram.data()) ? informational : rest).offer(datagram)) {
            queuedBytes.addAndGet(-n);
            drops++;
            return false;
        }
        return true;
    }

    private boolean isInformational(byte[] d) {
        int at = 0;
        if (nonEspMarker) {
            if (d.length < 4 || d[0] != 0 || d[1] != 0 || d[2] != 0 || d[3] != 0) {
                return false; // ESP in UDP, or a NAT keepalive
            }
            at = 4;
        }
        return d.length > at + EXCHANGE_TYPE_OFFSET && d[at + EXCHANGE_TYPE_OFFSET] == INFORMATIONAL;
    }

    /**
     * On the loop: hands every Informational waiting to {@code handler}, then at most {@code budget} of the other
     * datagrams, taking Informationals again between those. Returns how many it handled.
     */
    public int serve(Handler handler, int budget) {
        int handled = drainInformational(handler);
        for (int i = 0; i < budget; i++) {
            Received r = rest.poll();
            if (r == null) {
                break;
            }
            queuedBytes.addAndGet(-r.data().length);
            handler.handle(r);
            handled++;
            handled += drainInformational(handler);
        }
        return handled;
    }

    private int drainInformational(Handler handler) {
        int handled = 0;
        // Bounded by what waits now: a flood of Informationals cannot hold the loop here forever.
        for (int left = informational.size(); left > 0; left--) {
            Received r = informational.poll();
            if (r == null) {
                break;
            }
            queuedBytes.addAndGet(-r.data().length);
            handler.handle(r);
            handled++;
        }
        return handled;
    }

    /** Whether anything waits. */
    public boolean isEmpty() {
        return informational.isEmpty() && rest.isEmpty();
    }

    /** Datagrams dropped because a queue (or the byte bound) was full. */
    public long drops() {
        return drops;
    }
}
