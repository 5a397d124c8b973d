package dev.vpnrouter.router;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The datagrams of one IKE port waiting for the loop, bounded in count and bytes, in three queues:
 * <ul>
 * <li>first messages: a zero responder cookie (or too short for one): Main and Aggressive Mode's first
 * messages, or a flood of them;</li>
 * <li>Informationals carrying a responder cookie (DPD R-U-THERE and its ACK, Deletes, notifies: cheap, no
 * Diffie-Hellman);</li>
 * <li>the rest carrying a responder cookie (MM3 onwards, AM3, Transactions, Quick Modes, ESP in UDP when the kernel
 * did not steer it away): peers that have heard from us, or forgers guessing, whom the engine turns away with a
 * table lookup.</li>
 * </ul>
 * The loop serves every waiting Informational before each bounded helping of the rest ({@link #serve}), so a peer's
 * R-U-THERE is answered within one helping's time even while thousands of Quick Modes with PFS wait; and first
 * messages get what is left of a helping once the proven ones are served, and at least one place in
 * {@value #FIRST_SHARE} while any wait, so a flood of them delays nobody who is past the first exchange, and a
 * flood of forged cookies (anyone can write one) cannot shut new peers out. First messages and the rest are
 * bounded in bytes separately: a flood filling its queue takes no room from the others. A datagram that finds its queue full is dropped and counted, as a full
 * socket buffer would drop it.
 *
 * <p>Producers: the port's reader threads (one per socket; on a steered port each feeds its own queues); one
 * consumer (the loop). Sans-IO, so benchmarks drive it directly.
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
    /** Where the responder cookie is in an ISAKMP header (RFC 2408 §3.1), and its end. */
    private static final int RESPONDER_COOKIE_OFFSET = 8;
    private static final int RESPONDER_COOKIE_END = 16;
    /** One datagram in this many of a helping goes to a waiting first message, whatever else waits. */
    static final int FIRST_SHARE = 4;

    private final boolean nonEspMarker;
    private final ArrayBlockingQueue<Received> first;
    /** First messages whose source's budget was whole ({@link FirstMessageAdmission#FRESH}): served before {@link #first}. */
    private final ArrayBlockingQueue<Received> freshFirst;
    private final ArrayBlockingQueue<Received> informational;
    private final ArrayBlockingQueue<Received> rest;
    private final long maxBytes;
    private final AtomicLong firstBytes = new AtomicLong();
    private final AtomicLong provenBytes = new AtomicLong();
    private final LongAdder drops = new LongAdder();

    /**
     * @param nonEspMarker true on port 4500, where IKE follows four zero bytes (RFC 3948)
     * @param capacity     datagrams per queue
     * @param maxBytes     bytes held by first messages, and separately by the other two queues together
     */
    public IkeIntake(boolean nonEspMarker, int capacity, long maxBytes) {
        this(nonEspMarker, capacity, capacity, maxBytes);
    }

    /**
     * As above with the first messages' queue {@code firstCapacity} long: what a new peer's first message may wait
     * behind is that queue's length at the loop's rate.
     */
    public IkeIntake(boolean nonEspMarker, int capacity, int firstCapacity, long maxBytes) {
        this.nonEspMarker = nonEspMarker;
        this.first = new ArrayBlockingQueue<>(firstCapacity);
        this.freshFirst = new ArrayBlockingQueue<>(firstCapacity);
        this.informational = new ArrayBlockingQueue<>(capacity);
        this.rest = new ArrayBlockingQueue<>(capacity);
        this.maxBytes = maxBytes;
    }

    /** Queues a datagram (the bytes are the caller's to keep); false when it was dropped for want of room. */
    public boolean offer(Received datagram) {
        return offer(datagram, false);
    }

    /**
     * As {@link #offer(Received)}; a first message {@code fresh} from its source (see {@link FirstMessageAdmission})
     * waits in a queue of its own, served before the other first messages.
     */
    public boolean offer(Received datagram, boolean fresh) {
        byte[] d = datagram.data();
        int at = ikeStart(d);
        ArrayBlockingQueue<Received> queue;
        AtomicLong bytes;
        if (at >= 0 && isFirstMessage(d, at)) {
            queue = fresh ? freshFirst : first;
            bytes = firstBytes;
        } else {
            queue = at >= 0 && d.length > at + EXCHANGE_TYPE_OFFSET && d[at + EXCHANGE_TYPE_OFFSET] == INFORMATIONAL
                    ? informational : rest;
            bytes = provenBytes;
        }
        int n = d.length;
        if (bytes.addAndGet(n) > maxBytes) {
            bytes.addAndGet(-n);
            drops.increment();
            return false;
        }
        if (!queue.offer(datagram)) {
            bytes.addAndGet(-n);
            drops.increment();
            return false;
        }
        return true;
    }

    /**
     * Whether datagram {@code i} of a received batch is a first message, as {@link #offer} would queue it, read in
     * place (the reader asks before copying it: see {@link FirstMessageAdmission}).
     */
    static boolean isFirstMessage(dev.vpnrouter.net.PacketBatch batch, int i, boolean nonEspMarker) {
        int length = batch.length(i);
        int at = 0;
        if (nonEspMarker) {
            if (length < 4) {
                return true; // a NAT keepalive: no cookie in it
            }
            if (batch.intAt(i, 0) != 0) {
                return false; // ESP in UDP
            }
            at = 4;
        }
        return length < at + RESPONDER_COOKIE_END || batch.longAt(i, at + RESPONDER_COOKIE_OFFSET) == 0;
    }

    /** Where the ISAKMP header starts, or -1 for ESP in UDP (a non-zero SPI where the marker would be). */
    private int ikeStart(byte[] d) {
        if (!nonEspMarker) {
            return 0;
        }
        if (d.length >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0) {
            return 4;
        }
        return d.length < 4 ? 0 : -1; // a NAT keepalive (one byte) counts as a first message: no cookie in it
    }

    /** A zero responder cookie, or none at all: what anyone can send without having heard from us. */
    private static boolean isFirstMessage(byte[] d, int at) {
        if (d.length < at + RESPONDER_COOKIE_END) {
            return true;
        }
        for (int i = at + RESPONDER_COOKIE_OFFSET; i < at + RESPONDER_COOKIE_END; i++) {
            if (d[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * On the loop: hands every Informational waiting to {@code handler}, then at most {@code budget} of the other
     * datagrams, proven ones before first messages except that every {@value #FIRST_SHARE}th place goes to a waiting
     * first message, taking Informationals again between those. Returns how many it handled.
     */
    public int serve(Handler handler, int budget) {
        int handled = drainInformational(handler);
        for (int i = 0; i < budget; i++) {
            // A non-zero responder cookie is a claim, not a proof: a forger can write any. Every FIRST_SHARE-th
            // datagram is a first message when one waits, so a flood of forged cookies cannot starve new peers.
            boolean firstsTurn = i % FIRST_SHARE == FIRST_SHARE - 1;
            Received r = firstsTurn ? pollFirst() : null;
            if (r == null && (r = rest.poll()) != null) {
                provenBytes.addAndGet(-r.data().length);
            }
            if (r == null && (r = pollFirst()) == null) {
                break;
            }
            handler.handle(r);
            handled++;
            handled += drainInformational(handler);
        }
        return handled;
    }

    private Received pollFirst() {
        Received r = freshFirst.poll();
        if (r == null) {
            r = first.poll();
        }
        if (r != null) {
            firstBytes.addAndGet(-r.data().length);
        }
        return r;
    }

    private int drainInformational(Handler handler) {
        int handled = 0;
        // Bounded by what waits now: a flood of Informationals cannot hold the loop here forever.
        for (int left = informational.size(); left > 0; left--) {
            Received r = informational.poll();
            if (r == null) {
                break;
            }
            provenBytes.addAndGet(-r.data().length);
            handler.handle(r);
            handled++;
        }
        return handled;
    }

    /** Whether anything waits. */
    public boolean isEmpty() {
        return informational.isEmpty() && rest.isEmpty() && freshFirst.isEmpty() && first.isEmpty();
    }

    /** Datagrams dropped because a queue (or the byte bound) was full. */
    public long drops() {
        return drops.sum();
    }
}
