package dev.vpnrouter.dataplane;

import dev.vpnrouter.syslog.IosMessages;
import dev.vpnrouter.syslog.RateLimiter;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;
import dev.vpnrouter.dataplane.DataPlaneEvent.Direction;
import dev.vpnrouter.dataplane.DataPlaneEvent.Limit;
import dev.vpnrouter.esp.EspDropReason;
import dev.vpnrouter.esp.EspInboundSa;
import dev.vpnrouter.esp.EspLifetime;
import dev.vpnrouter.esp.EspLifetimeState;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspSa;
import dev.vpnrouter.esp.EspSealError;
import dev.vpnrouter.esp.EspTransform;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.CryptoMapDecision;
import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ESP data plane of one router, sans-IO: the SA database the IKE engine fills, crypto map matching for
 * outbound packets (like IOS: the ACLs of static entries in sequence order, then the SAs created from dynamic
 * entries), sealing and opening, proxy identity checks, path MTU, acquire queues, lifetimes and counters.
 *
 * <p>It never touches a socket or a clock: packets come in as bytes with the time, results say what to send.
 * Host loop: feed {@link IkeEffect.InstallChild}/{@link IkeEffect.DeleteChild} to {@link #apply}; pass inside
 * packets to {@link #outbound} and act on the {@link OutboundResult}; pass ESP from outside to {@link #inbound};
 * now and then {@link #drainEvents()} (rekey needed, expiry, routes).
 *
 * <p>Not thread-safe: one thread drives it (the ESP SAs keep cipher state).
 */
public final class DataPlane {
    private DataPlaneConfig config;
    private final SecureRandom random;

    /** Which entry and ACL line protect a packet: the one decision the engine's Quick Modes also use. */
    private CryptoMapDecision decision = CryptoMapDecision.of(List.of());
    /** The decision's static permit lines, by {@link CryptoMapDecision.StaticLine#index()}, with their queues. */
    private List<AclLine> staticLines = List.of();

    private final Map<Integer, InstalledSa> byInboundSpi = new HashMap<>();
    private final Map<Long, InstalledSa> byChildId = new HashMap<>();
    private final Map<ChildPolicy.SelectorPair, Flow> flows = new LinkedHashMap<>();
    private final RemoteIndex index = new RemoteIndex();

    private final Map<TrafficSelector, RouteRef> routes = new LinkedHashMap<>();

    private static final class RouteRef {
        final ProtectedRoute route;
        int sas;

        RouteRef(ProtectedRoute route) {
            this.route = route;
        }
    }

    private final List<DataPlaneEvent> events = new ArrayList<>();
    private int icmpIdentification;
    /** First outbound sequence number of SAs installed from now on: 1, except in tests of the wrap. */
    private long initialSequence = 1;

    private long outboundPackets;
    private long sealed;
    private long fragmented;
    private long fragments;
    private long bypassed;
    private long acquires;
    private long queued;
    private long queueOverflow;
    private long queueTimeout;
    private long noSaDynamic;
    private long icmpTooBig;
    private long outboundDropped;
    private long inboundPackets;
    private long delivered;
    private long unknownSpi;
    /**
     * IOS says an invalid SPI and a failed replay check at most once a minute (per SPI and source, per SA), ten a
     * minute in all: a flood of bad ESP must not become a flood of messages, nor allocate per packet.
     */
    private final RateLimiter invalidSpiMessages = new RateLimiter(60_000, 10);
    private final RateLimiter replayMessages = new RateLimiter(60_000, 10);
    /** Where ESP arrives (the outside address), for the invalid SPI message's destaddr. */
    private int outsideAddress;
    private long runts;
    private long inboundDropped;
    private long peerMoved;

    /**
     * @param cryptoMap the crypto map entries on the outside interface, in sequence order, dynamic-map entries
     *                  expanded in theirs (what {@code EnginePolicy.cryptoMap()} returns)
     * @param random    randomness for the CBC IV secrets of outbound SAs; null for a fresh DRBG per SA
     */
    public DataPlane(List<ChildPolicy> cryptoMap, DataPlaneConfig config, SecureRandom random) {
        this.config = config;
        this.random = random;
        setCryptoMap(cryptoMap);
    }

    public DataPlane(List<ChildPolicy> cryptoMap, DataPlaneConfig config) {
        this(cryptoMap, config, null);
    }

    /** A new crypto map (configuration reload). Packets waiting for an acquire are dropped as timed out. */
    public void setCryptoMap(List<ChildPolicy> cryptoMap) {
        for (AclLine line : staticLines) {
            queueTimeout += line.queue.size();
            outboundDropped += line.queue.size();
        }
        decision = CryptoMapDecision.of(cryptoMap);
        List<AclLine> lines = new ArrayList<>();
        for (CryptoMapDecision.StaticLine line : decision.staticLines()) {
            lines.add(new AclLine(line.entry(), line.pair()));
        }
        staticLines = List.copyOf(lines);
        for (Flow flow : flows.values()) {
            flow.order = decision.order(flow.policy);
        }
    }

    public DataPlaneConfig config() {
        return config;
    }

    /** A new MTU applies to SAs installed from now on. */
    public void setConfig(DataPlaneConfig config) {
        this.config = config;
    }

    // ------------------------------------------------------------------ SA database

    /**
     * Carries out an IKE effect that concerns the data plane: installs or deletes a child SA. Returns the packets
     * that waited for the new SA, as outbound results to act on; other effects return nothing.
     */
    public List<OutboundResult> apply(IkeEffect effect, long nowMillis) {
        return switch (effect) {
            case IkeEffect.InstallChild i -> install(i.child(), nowMillis);
            case IkeEffect.DeleteChild d -> {
                remove(d.child());
                yield List.of();
            }
            default -> List.of();
        };
    }

    /**
     * Installs a negotiated child SA. Outbound traffic of its selector pair moves to it at once; older SAs of the
     * pair keep opening until they are removed. Returns the queued packets it now carries (sealed, or other
     * results such as an ICMP error), in the order they arrived.
     */
    public List<OutboundResult> install(ChildSa child, long nowMillis) {
        if (byChildId.containsKey(child.id())) {
            return List.of();
        }
        EspTransform transform = EspTransforms.tryOf(child.transform());
        if (transform == null) {
            events.add(new DataPlaneEvent.InstallFailed(child, "the ESP engine cannot carry "
                    + child.transform().iosTransform()));
            return List.of();
        }
        EspOutboundSa out;
        EspInboundSa in;
        try {
            EspLifetime lifetime = lifetime(child.lifetimeKilobytes());
            EspOutboundSa.Builder ob = EspOutboundSa.builder(child.outboundSpi(), transform, child.outboundKeys())
                    .lifetime(lifetime).initialSequence(initialSequence);
            if (random != null) {
                ob.random(random);
            }
            out = ob.build();
            in = EspInboundSa.builder(child.inboundSpi(), transform, child.inboundKeys()).lifetime(lifetime)
                    .replayWindow(config.replayWindow()).build();
        } catch (IllegalArgumentException e) {
            events.add(new DataPlaneEvent.InstallFailed(child, e.getMessage()));
            return List.of();
        }
        InstalledSa old = byInboundSpi.get(child.inboundSpi());
        if (old != null) {
            remove(old.child);
        }
        ChildPolicy.SelectorPair pair = new ChildPolicy.SelectorPair(child.local(), child.remote());
        Flow flow = flows.get(pair);
        if (flow == null) {
            flow = new Flow(pair, child.policy(), decision.order(child.policy()));
            flows.put(pair, flow);
            index.add(flow);
        }
        InstalledSa sa = new InstalledSa(child, out, in, flow, config.mtu());
        flow.sas.add(sa);
        byInboundSpi.put(child.inboundSpi(), sa);
        byChildId.put(child.id(), sa);
        RouteRef ref = routes.computeIfAbsent(child.remote(), r -> new RouteRef(new ProtectedRoute(r,
                child.peerAddress(), child.policy() != null && child.policy().reverseRoute())));
        if (ref.sas++ == 0) {
            events.add(new DataPlaneEvent.RouteAdded(ref.route));
        }
        return flush(pair, nowMillis);
    }

    /** IOS renegotiates at 90% of the kilobyte lifetime; 0 means no volume limit. */
    static EspLifetime lifetime(long kilobytes) {
        if (kilobytes <= 0 || kilobytes > Long.MAX_VALUE / 1024) {
            return EspLifetime.UNLIMITED;
        }
        long hard = kilobytes * 1024;
        long soft = Math.max(1, hard / 10 * 9);
        return new EspLifetime(soft, hard, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Sends what waited for an SA of this pair through the normal path again. */
    private List<OutboundResult> flush(ChildPolicy.SelectorPair pair, long now) {
        List<OutboundResult> results = new ArrayList<>();
        for (AclLine line : staticLines) {
            if (!line.overlaps(pair)) {
                continue;
            }
            line.lastAcquireMillis = Long.MIN_VALUE;
            if (line.queue.isEmpty()) {
                continue;
            }
            List<AclLine.Pending> waiting = new ArrayList<>(line.queue);
            line.queue.clear();
            for (AclLine.Pending p : waiting) {
                if (now - p.queuedAtMillis() > config.acquireQueueMillis()) {
                    queueTimeout++;
                    outboundDropped++;
                    results.add(new OutboundResult.Drop(OutboundDrop.ACQUIRE_QUEUE_TIMEOUT));
                    continue;
                }
                InnerFlow f = InnerFlow.of(p.packet(), 0, p.packet().length);
                OutboundResult r = route(p.packet(), 0, p.packet().length, f, now, p.queuedAtMillis(), true);
                if (r != OutboundResult.Queued.INSTANCE) {
                    results.add(r);
                }
            }
        }
        return results;
    }

    /** Removes a child SA (IKE deleted it, or it expired). Unknown children are ignored. */
    public void remove(ChildSa child) {
        remove(child.id());
    }

    public void remove(long childId) {
        InstalledSa sa = byChildId.remove(childId);
        if (sa == null) {
            return;
        }
        byInboundSpi.remove(sa.child.inboundSpi(), sa);
        sa.in.destroy();
        sa.out.destroy();
        Flow flow = sa.flow;
        flow.sas.remove(sa);
        flow.retired = flow.retired.plus(sa.counters());
        if (flow.sas.isEmpty()) {
            flows.remove(flow.pair);
            index.remove(flow);
        }
        RouteRef ref = routes.get(sa.child.remote());
        if (ref != null && --ref.sas == 0) {
            routes.remove(sa.child.remote());
            events.add(new DataPlaneEvent.RouteRemoved(ref.route));
        }
    }

    // ------------------------------------------------------------------ outbound

    /** An inside packet (whole array). */
    public OutboundResult outbound(byte[] packet, long nowMillis) {
        return outbound(packet, 0, packet == null ? 0 : packet.length, nowMillis);
    }

    /** An inside packet at {@code packet[off, off+len)}; the bytes are not kept after the call (queued ones are copied). */
    public OutboundResult outbound(byte[] packet, int off, int len, long nowMillis) {
        outboundPackets++;
        InnerFlow f = InnerFlow.of(packet, off, len);
        if (f == null) {
            return drop(OutboundDrop.NOT_IPV4);
        }
        return route(packet, off, Ipv4Packet.totalLength(packet, off), f, nowMillis, nowMillis, true);
    }

    /**
     * Crypto map lookup. {@code mayBypass} is false when the packet was already matched to an SA that just ran
     * out: it must never leave in clear then.
     */
    private OutboundResult route(byte[] p, int off, int len, InnerFlow f, long now, long queuedAt,
            boolean mayBypass) {
        InstalledSa sa = lookup(f.source(), f.destination(), f.protocol(), f.sourcePort(), f.destinationPort());
        AclLine line = matchedLine;
        if (sa != null) {
            return seal(sa, p, off, len, f, now);
        }
        if (line != null) {
            return acquire(line, p, off, len, f, now, queuedAt);
        }
        if (decision.dynamicAclProtects(f.source(), f.destination(), f.protocol(), f.sourcePort(),
                f.destinationPort())) {
            noSaDynamic++;
            return drop(OutboundDrop.NO_SA_DYNAMIC);
        }
        if (!mayBypass) {
            return drop(OutboundDrop.SA_EXPIRED);
        }
        bypassed++;
        return OutboundResult.Bypass.INSTANCE;
    }

    /** The static ACL line the last {@link #lookup} matched, or null when none did. */
    private AclLine matchedLine;

    /**
     * The SA that seals this packet, as IOS looks it up: the ACL lines of static entries in sequence order (the
     * first line that matches decides: its SA, one the peer negotiated for part of it, or none yet, with
     * {@link #matchedLine} set), then SAs of dynamic entries. Allocates nothing.
     */
    private InstalledSa lookup(int src, int dst, int proto, int srcPort, int dstPort) {
        int protecting = decision.protectingLine(src, dst, proto, srcPort, dstPort);
        if (protecting >= 0) {
            AclLine line = staticLines.get(protecting);
            matchedLine = line;
            Flow exact = flows.get(line.pair);
            InstalledSa sa = exact == null ? null : exact.sealing();
            if (sa == null) {
                // An SA the peer negotiated for part of this ACL line.
                sa = index.find(src, dst, proto, srcPort, dstPort, line.entry);
            }
            return sa;
        }
        matchedLine = null;
        return index.find(src, dst, proto, srcPort, dstPort, null);
    }

    /**
     * The allocation-free outbound path for a host's data thread: when the packet is sealed as one ESP packet
     * (the usual case) it is written into {@code target} and this returns true. Otherwise (no SA yet, fragments,
     * ICMP too-big, drop, bypass...) it returns false and {@link SealTarget#other()} says what to do, exactly as
     * {@link #outbound(byte[], int, int, long)} would have.
     */
    public boolean outbound(byte[] p, int off, int len, long nowMillis, SealTarget target) {
        target.other = null;
        if (p == null || off < 0 || len < 0 || len > p.length - off || !Ipv4Packet.isValid(p, off, len)) {
            target.other = outbound(p, off, len, nowMillis);
            return false;
        }
        int total = Ipv4Packet.totalLength(p, off);
        InstalledSa sa = lookup(Ipv4Packet.source(p, off), Ipv4Packet.destination(p, off),
                Ipv4Packet.protocol(p, off), Ipv4Packet.sourcePort(p, off, total),
                Ipv4Packet.destinationPort(p, off, total));
        if (sa == null || total > sa.maxInner
                || sa.out.transform().sealedLength(total) > target.buffer().length) {
            target.other = outbound(p, off, len, nowMillis);
            return false;
        }
        int n = sa.out.seal(p, off, total, target.buffer(), 0);
        if (n < 0) {
            lastSealError = EspSealError.fromCode(n);
            outboundPackets++;
            target.other = afterSealFailure(sa, p, off, total, InnerFlow.of(p, off, total), nowMillis);
            return false;
        }
        outboundPackets++;
        if (sa.out.lifetimeState() != EspLifetimeState.ACTIVE) {
            lifetimeReached(sa, sa.out, Direction.OUTBOUND);
        }
        sealed++;
        target.length = n;
        target.peerAddress = sa.peerAddress;
        target.peerPort = sa.peerPort;
        target.childId = sa.child.id();
        return true;
    }

    private OutboundResult acquire(AclLine line, byte[] p, int off, int len, InnerFlow f, long now, long queuedAt) {
        while (!line.queue.isEmpty() && now - line.queue.peekFirst().queuedAtMillis() > config.acquireQueueMillis()) {
            line.queue.pollFirst();
            queueTimeout++;
            outboundDropped++;
        }
        boolean due = line.lastAcquireMillis == Long.MIN_VALUE
                || now - line.lastAcquireMillis >= config.acquireRetryMillis();
        if (line.queue.size() >= config.acquireQueuePackets()) {
            queueOverflow++;
            outboundDropped++;
            if (!due) {
                return new OutboundResult.Drop(OutboundDrop.ACQUIRE_QUEUE_FULL);
            }
        } else {
            byte[] copy = new byte[len];
            System.arraycopy(p, off, copy, 0, len);
            line.queue.addLast(new AclLine.Pending(copy, queuedAt));
            queued++;
        }
        if (!due) {
            return OutboundResult.Queued.INSTANCE;
        }
        line.lastAcquireMillis = now;
        acquires++;
        return new OutboundResult.Acquire(line.entry, line.pair, f);
    }

    private OutboundResult seal(InstalledSa sa, byte[] p, int off, int len, InnerFlow f, long now) {
        if (len <= sa.maxInner) {
            EspDatagram d = sealOne(sa, p, off, len);
            if (d == null) {
                return afterSealFailure(sa, p, off, len, f, now);
            }
            sealed++;
            return new OutboundResult.Seal(List.of(d));
        }
        if (Ipv4Fragments.dontFragment(p, off)) {
            if (Ipv4Fragments.mustNotAnswerWithIcmpError(p, off, len)) {
                return drop(OutboundDrop.TOO_BIG);
            }
            icmpTooBig++;
            outboundDropped++;
            byte[] icmp = Ipv4Fragments.fragmentationNeeded(p, off, len, config.insideAddress(), sa.maxInner,
                    ++icmpIdentification & 0xffff);
            return new OutboundResult.IcmpError(icmp, sa.maxInner);
        }
        List<byte[]> pieces = Ipv4Fragments.fragment(p, off, len, sa.maxInner);
        List<EspDatagram> out = new ArrayList<>(pieces.size());
        for (byte[] piece : pieces) {
            EspDatagram d = sealOne(sa, piece, 0, piece.length);
            if (d == null) {
                return afterSealFailure(sa, p, off, len, f, now);
            }
            out.add(d);
        }
        sealed++;
        fragmented++;
        fragments += pieces.size();
        return new OutboundResult.Seal(out);
    }

    /** Seals one packet that fits; null when the SA refused (its error is counted on the SA). */
    private EspDatagram sealOne(InstalledSa sa, byte[] p, int off, int len) {
        byte[] esp = new byte[sa.out.transform().sealedLength(len)];
        int n = sa.out.seal(p, off, len, esp, 0);
        if (n < 0) {
            lastSealError = EspSealError.fromCode(n);
            return null;
        }
        if (sa.out.lifetimeState() != EspLifetimeState.ACTIVE) {
            lifetimeReached(sa, sa.out, Direction.OUTBOUND);
        }
        return new EspDatagram(esp, sa.child.localAddress(), sa.child.localPort(), sa.peerAddress, sa.peerPort,
                sa.child.id());
    }

    private EspSealError lastSealError;

    /** The SA ran out (hard lifetime or sequence numbers): mark it and route again, which finds another or acquires. */
    private OutboundResult afterSealFailure(InstalledSa sa, byte[] p, int off, int len, InnerFlow f, long now) {
        if (lastSealError == EspSealError.SA_EXPIRED || lastSealError == EspSealError.SEQUENCE_EXHAUSTED) {
            lifetimeReached(sa, sa.out, Direction.OUTBOUND);
            sa.outboundExpired = true;
            // Another SA of the flow, or an acquire for a static entry; never the clear.
            return route(p, off, len, f, now, now, false);
        }
        return drop(OutboundDrop.SEAL_FAILED);
    }

    private OutboundResult drop(OutboundDrop reason) {
        outboundDropped++;
        return new OutboundResult.Drop(reason);
    }

    // ------------------------------------------------------------------ inbound

    /** An ESP packet from outside (whole array, SPI first), allocating the inner packet. */
    public InboundResult inbound(byte[] esp, int fromAddress, int fromPort, long nowMillis) {
        int len = esp == null ? 0 : esp.length;
        return inbound(esp, 0, len, fromAddress, fromPort, nowMillis, new byte[Math.max(len, 1)], 0);
    }

    /**
     * An ESP packet at {@code esp[off, off+len)} that arrived from {@code fromAddress}, by UDP from
     * {@code fromPort} or raw (0). The inner packet is written to {@code out[outOff]}, which needs {@code len}
     * bytes; {@link InboundResult.Deliver} says where it is.
     */
    public InboundResult inbound(byte[] esp, int off, int len, int fromAddress, int fromPort, long nowMillis,
            byte[] out, int outOff) {
        int n = open(esp, off, len, fromAddress, fromPort, nowMillis, out, outOff);
        if (n < 0) {
            return new InboundResult.Drop(EspDropReason.fromCode(n), lastChildId);
        }
        return new InboundResult.Deliver(out, outOff, n, InnerFlow.of(out, outOff, n), lastChildId);
    }

    /** Child SA of the last packet {@link #open} handled (0 when no SA was found). */
    private long lastChildId;

    /**
     * The allocation-free inbound path: as {@link #inbound(byte[], int, int, int, int, long, byte[], int)}, but
     * returns the inner packet's length (it is at {@code out[outOff]}) or a negative {@link EspDropReason#code()};
     * drops are counted the same way.
     */
    public int open(byte[] esp, int off, int len, int fromAddress, int fromPort, long nowMillis, byte[] out,
            int outOff) {
        inboundPackets++;
        lastChildId = 0;
        if (esp == null || off < 0 || len < 8 || len > esp.length - off) {
            runts++;
            inboundDropped++;
            return EspDropReason.TRUNCATED.code();
        }
        int spi = readInt(esp, off);
        InstalledSa sa = byInboundSpi.get(spi);
        if (sa == null) {
            unknownSpi++;
            inboundDropped++;
            if (invalidSpiMessages.allow(((long) spi << 32) | Integer.toUnsignedLong(fromAddress), nowMillis)) {
                events.add(new DataPlaneEvent.Message(IosMessages.invalidSpi(Ipv4.format(outsideAddress), spi,
                        Ipv4.format(fromAddress))));
            }
            return EspDropReason.WRONG_SPI.code();
        }
        lastChildId = sa.child.id();
        long seq = readInt(esp, off + 4) & 0xffffffffL;
        boolean newest = seq > sa.in.replayWindow().highest();
        int n = sa.in.open(esp, off, len, out, outOff);
        if (n < 0) {
            if (n == EspDropReason.SA_EXPIRED.code()) {
                lifetimeReached(sa, sa.in, Direction.INBOUND);
            } else if (n == EspDropReason.REPLAY.code() && replayMessages.allow(sa.child.id(), nowMillis)) {
                events.add(new DataPlaneEvent.Message(IosMessages.replay(sa.child.id(), seq)));
            }
            inboundDropped++;
            return n;
        }
        if (!Ipv4Packet.isValid(out, outOff, n)
                || !sa.child.remote().matchesPacket(Ipv4Packet.source(out, outOff), Ipv4Packet.protocol(out, outOff),
                        Ipv4Packet.sourcePort(out, outOff, n))
                || !sa.child.local().matchesPacket(Ipv4Packet.destination(out, outOff),
                        Ipv4Packet.protocol(out, outOff), Ipv4Packet.destinationPort(out, outOff, n))) {
            sa.in.countDrop(EspDropReason.INVALID_IDENTITY);
            inboundDropped++;
            return EspDropReason.INVALID_IDENTITY.code();
        }
        if (sa.peerPort != 0 && fromPort != 0 && newest && (fromAddress != sa.peerAddress || fromPort != sa.peerPort)) {
            // The peer's NAT rebound: follow the newest authenticated packet, as RFC 3948 peers do for IKE.
            sa.peerAddress = fromAddress;
            sa.peerPort = fromPort;
            peerMoved++;
        }
        if (sa.in.lifetimeState() != EspLifetimeState.ACTIVE) {
            lifetimeReached(sa, sa.in, Direction.INBOUND);
        }
        delivered++;
        return Ipv4Packet.totalLength(out, outOff);
    }

    /** Reports a soft limit once per SA pair and each hard limit once per direction. */
    private void lifetimeReached(InstalledSa sa, EspSa direction, Direction d) {
        EspLifetimeState state = direction.lifetimeState();
        if (state == EspLifetimeState.ACTIVE) {
            return;
        }
        Limit limit = direction.counters().bytes() >= direction.lifetime().softBytes() ? Limit.KILOBYTES
                : Limit.SEQUENCE;
        if (!sa.rekeyReported) {
            sa.rekeyReported = true;
            events.add(new DataPlaneEvent.RekeyNeeded(sa.child, d, limit));
        }
        if (state == EspLifetimeState.EXPIRED) {
            boolean first = d == Direction.OUTBOUND ? !sa.outboundExpired : !sa.inboundExpired;
            if (d == Direction.OUTBOUND) {
                sa.outboundExpired = true;
            } else {
                sa.inboundExpired = true;
            }
            if (first) {
                events.add(new DataPlaneEvent.Expired(sa.child, d, limit));
            }
        }
    }

    // ------------------------------------------------------------------ housekeeping and views

    /** Tests only: outbound SAs installed from now on start at this sequence number, near the 32-bit wrap. */
    void startSequencesAt(long sequence) {
        this.initialSequence = sequence;
    }

    /** Drops queued packets that waited too long (for a host's periodic housekeeping); returns how many. */
    public int expireQueues(long nowMillis) {
        int n = 0;
        for (AclLine line : staticLines) {
            while (!line.queue.isEmpty()
                    && nowMillis - line.queue.peekFirst().queuedAtMillis() > config.acquireQueueMillis()) {
                line.queue.pollFirst();
                n++;
            }
        }
        queueTimeout += n;
        outboundDropped += n;
        return n;
    }

    /** Everything reported since the last call, in order. */
    public List<DataPlaneEvent> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<DataPlaneEvent> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    /** Installed SA pairs. */
    public int saCount() {
        return byChildId.size();
    }

    /** One SA pair's state and counters, or null when it is not installed. */
    public SaStatus sa(long childId) {
        InstalledSa sa = byChildId.get(childId);
        return sa == null ? null : sa.status(sa.flow.sealing() == sa);
    }

    /** Every selector pair with live SAs, in the order they first came up. */
    public List<FlowStatus> flows() {
        List<FlowStatus> out = new ArrayList<>(flows.size());
        for (Flow f : flows.values()) {
            out.add(f.status());
        }
        return out;
    }

    /** The flow of one selector pair, or null. */
    public FlowStatus flow(TrafficSelector local, TrafficSelector remote) {
        Flow f = flows.get(new ChildPolicy.SelectorPair(local, remote));
        return f == null ? null : f.status();
    }

    /**
     * Whether a live SA protects {@code remote} now: if not, installing an SA for it emits {@link
     * DataPlaneEvent.RouteAdded}, so a host can put the route in first.
     */
    public boolean isProtected(TrafficSelector remote) {
        return routes.containsKey(remote);
    }

    /** Remote networks live SAs protect now (reverse-route material), in the order they came up. */
    public List<ProtectedRoute> protectedRoutes() {
        List<ProtectedRoute> out = new ArrayList<>(routes.size());
        for (RouteRef r : routes.values()) {
            out.add(r.route);
        }
        return out;
    }

    /**
     * Remote networks of the static crypto map entries' ACLs: route these into the tunnel device from the start,
     * so the first packet reaches {@link #outbound} and triggers the acquire.
     */
    public List<TrafficSelector> staticRemoteNetworks() {
        List<TrafficSelector> out = new ArrayList<>();
        for (AclLine line : staticLines) {
            if (!out.contains(line.pair.remote())) {
                out.add(line.pair.remote());
            }
        }
        return out;
    }

    /** Packets waiting for an acquire, over all entries. */
    public int queuedPackets() {
        int n = 0;
        for (AclLine line : staticLines) {
            n += line.queue.size();
        }
        return n;
    }

    /** The outside address ESP arrives on (set at start and after a renumbering); only messages name it. */
    public void outsideAddress(int address) {
        this.outsideAddress = address;
    }

    public DataPlaneCounters counters() {
        return new DataPlaneCounters(outboundPackets, sealed, fragmented, fragments, bypassed, acquires, queued,
                queueOverflow, queueTimeout, noSaDynamic, icmpTooBig, outboundDropped, inboundPackets, delivered,
                unknownSpi, runts, inboundDropped, peerMoved,
                invalidSpiMessages.suppressed() + replayMessages.suppressed());
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
