package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host on the inside LAN of a {@link SimLanRouter}: an address that pings (ICMP echo with RTTs in virtual
 * time), answers echo requests, reassembles fragments and notes ICMP unreachables. Everything it sends goes to
 * its router, its default gateway.
 */
public final class SimHost {
    /** An ICMP destination unreachable this host received (code 4 carries the next-hop MTU). */
    public record Unreachable(int from, int code, int nextHopMtu) {
    }

    private final SimLanRouter router;
    private final int address;
    private final int identifier;
    /** Send time by (destination, sequence): a host pinging many destinations wraps the 16-bit sequence. */
    private final Map<Long, Long> outstanding = new HashMap<>();
    private long repliesReceived;
    private final List<Long> rtts = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private final List<Unreachable> unreachables = new ArrayList<>();
    private final SimReassembler reassembler = new SimReassembler();
    private int nextSequence = 1;
    private long requestsSent;
    private long requestsAnswered;
    private long duplicateReplies;

    SimHost(SimLanRouter router, int address) {
        this.router = router;
        this.address = address;
        this.identifier = (address * 31 + 7) & 0xffff;
    }

    public int address() {
        return address;
    }

    public SimLanRouter router() {
        return router;
    }

    /** Sends one echo request with 56 data bytes, DF clear; returns its sequence number. */
    public int ping(int destination) {
        return ping(destination, 56, false);
    }

    /** Sends one echo request now; returns its sequence number. */
    public int ping(int destination, int dataBytes, boolean dontFragment) {
        int seq = nextSequence++ & 0xffff;
        byte[] data = new byte[dataBytes];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (seq + i);
        }
        byte[] p = Ipv4Packet.icmpEcho(address, destination, true, identifier, seq, data);
        if (dontFragment) {
            p[6] |= 0x40;
            p[10] = 0;
            p[11] = 0;
            int sum = Ipv4Packet.checksum(p, 0, Ipv4Packet.HEADER);
            p[10] = (byte) (sum >>> 8);
            p[11] = (byte) sum;
        }
        outstanding.put(key(destination, seq), router.scheduler().now());
        requestsSent++;
        send(p);
        return seq;
    }

    /** Pings {@code count} times, one every {@code intervalMillis}, the first now. */
    public void pingEvery(int destination, long intervalMillis, int count, int dataBytes) {
        for (int i = 0; i < count; i++) {
            router.scheduler().after(i * intervalMillis, () -> ping(destination, dataBytes, false));
        }
    }

    /** Hands any IPv4 packet to the router. */
    public void send(byte[] packet) {
        router.scheduler().after(0, () -> router.fromLan(packet));
    }

    /** A packet the router delivers on the LAN for this host. */
    void deliver(byte[] packet) {
        byte[] p = reassembler.accept(packet);
        if (p == null) {
            return;
        }
        received.add(p);
        if (Ipv4Packet.isEchoRequest(p, 0, p.length)) {
            requestsAnswered++;
            send(Ipv4Packet.echoReplyTo(p, 0, p.length));
        } else if (Ipv4Packet.isEchoReply(p, 0, p.length)) {
            int seq = Ipv4Packet.icmpSequence(p, 0);
            Long sentAt = outstanding.remove(key(Ipv4Packet.source(p, 0), seq));
            if (sentAt != null) {
                repliesReceived++;
                rtts.add(router.scheduler().now() - sentAt);
            } else {
                duplicateReplies++;
            }
        } else if (Ipv4Packet.protocol(p, 0) == Ipv4Packet.ICMP && p.length >= Ipv4Packet.HEADER + 8
                && p[Ipv4Packet.headerLength(p, 0)] == 3) {
            int icmp = Ipv4Packet.headerLength(p, 0);
            unreachables.add(new Unreachable(Ipv4Packet.source(p, 0), p[icmp + 1] & 0xff,
                    ((p[icmp + 6] & 0xff) << 8) | (p[icmp + 7] & 0xff)));
        }
    }

    public long echoRequestsSent() {
        return requestsSent;
    }

    public long echoRepliesReceived() {
        return repliesReceived;
    }

    private static long key(int destination, int sequence) {
        return (Integer.toUnsignedLong(destination) << 16) | sequence;
    }

    public long echoRequestsAnswered() {
        return requestsAnswered;
    }

    public long duplicateReplies() {
        return duplicateReplies;
    }

    /** Sequence numbers still unanswered (of every destination). */
    public Set<Integer> unansweredSequences() {
        Set<Integer> seqs = new LinkedHashSet<>();
        for (long k : outstanding.keySet()) {
            seqs.add((int) (k & 0xffff));
        }
        return seqs;
    }

    /** Round-trip times of the answered pings, in virtual milliseconds. */
    public List<Long> rtts() {
        return Collections.unmodifiableList(rtts);
    }

    /** Every packet delivered to this host (reassembled), in order. */
    public List<byte[]> received() {
        return Collections.unmodifiableList(received);
    }

    public List<Unreachable> unreachables() {
        return Collections.unmodifiableList(unreachables);
    }

    public long reassembled() {
        return reassembler.reassembled();
    }

    @Override
    public String toString() {
        return "host " + Ipv4.format(address) + " behind " + router.name();
    }
}
