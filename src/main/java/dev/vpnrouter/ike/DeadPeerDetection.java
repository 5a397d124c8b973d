package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.NotifyPayload;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.ProtocolId;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Dead Peer Detection (RFC 3706) on one ISAKMP SA ({@link IkeSa#dpd}), as {@code crypto isakmp keepalive S R}
 * configures it: when nothing was heard from the peer for S seconds, send R-U-THERE; unanswered, retry every R
 * seconds; after five unanswered the peer is dead and its SAs go. We always answer a peer's R-U-THERE. Its
 * sequence numbers and when the peer was last heard are its own.
 */
final class DeadPeerDetection {
    static final int MAX_UNANSWERED = 5;

    private final IkeSa sa;
    private int sequenceOut;
    private int sequenceIn = -1;
    private long lastHeardMillis;
    private int outstanding;
    private long nextMillis = Long.MAX_VALUE;
    /**
     * How much sooner than the configured interval this SA checks, as a share of it chosen once at {@link #start}:
     * a share, not a time, so a reconfigured shorter interval never makes the quiet time negative (a probe storm).
     */
    private double jitterShare;

    DeadPeerDetection(IkeSa sa, long nowMillis) {
        this.sa = sa;
        this.lastHeardMillis = nowMillis;
    }

    /** An authenticated message came from the peer: it is alive. */
    void heard(long now) {
        lastHeardMillis = now;
    }

    /** When the DPD timer next fires, or {@link Long#MAX_VALUE} when DPD does not run on this SA. */
    long dueAtMillis() {
        return nextMillis;
    }

    /** DPD runs on this SA (what {@code show crypto isakmp sa detail}'s D capability says). */
    boolean running() {
        return nextMillis != Long.MAX_VALUE;
    }

    /** The first probe comes up to this share of the interval early, so SAs set up together do not probe together. */
    static final double START_JITTER = 0.10;

    /**
     * Phase 1 is done: probe the peer when it goes quiet, if it speaks DPD and keepalives are configured. This SA's
     * quiet time is the interval less a random part of up to a tenth of it (as strongSwan jitters its timers), so
     * thousands of tunnels set up in one second spread their checks and probes over a tenth of the interval.
     */
    void start(IkeEngine engine, long now) {
        int interval = intervalSeconds(engine);
        if (interval > 0 && sa.peerDpd) {
            sequenceOut = engine.random.nextInt() & 0x7fffffff;
            jitterShare = engine.random.nextDouble() * START_JITTER;
            nextMillis = now + quietMillis(interval);
        }
    }

    /** The interval less this SA's share of jitter. */
    private long quietMillis(int intervalSeconds) {
        return (long) (intervalSeconds * 1000L * (1 - jitterShare));
    }

    private int intervalSeconds(IkeEngine engine) {
        if (sa.profile != null && sa.profile.keepaliveSeconds() > 0) {
            return sa.profile.keepaliveSeconds();
        }
        return engine.policy.dpdIntervalSeconds();
    }

    private int retrySeconds(IkeEngine engine) {
        if (sa.profile != null && sa.profile.keepaliveRetrySeconds() > 0) {
            return sa.profile.keepaliveRetrySeconds();
        }
        return Math.max(1, engine.policy.dpdRetrySeconds());
    }

    /** The DPD timer fired: probe, or declare the peer dead. */
    void onTimer(IkeEngine engine, long now) {
        long quiet = quietMillis(intervalSeconds(engine));
        if (outstanding == 0 && now - lastHeardMillis < quiet) {
            nextMillis = lastHeardMillis + quiet; // heard recently: nothing to ask
            return;
        }
        if (outstanding >= MAX_UNANSWERED) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": DPD: peer " + Ipv4.format(sa.peerAddress)
                    + " is dead, deleting its SAs");
            // The other SA of a client's phase-1 renewal is with the same dead peer: it goes too, so the client
            // connects again rather than hold an SA that cannot renew.
            IkeSa partner = sa.renewalPartner();
            engine.remove(sa, RemovalCause.DPD, false, now);
            if (partner != null && !partner.deleted) {
                engine.remove(partner, RemovalCause.DPD, false, now);
            }
            return;
        }
        sequenceOut++;
        outstanding++;
        send(engine, NotifyType.R_U_THERE, sequenceOut);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": DPD/R_U_THERE sent to "
                + Ipv4.format(sa.peerAddress) + ", sequence " + Integer.toUnsignedString(sequenceOut));
        nextMillis = now + retrySeconds(engine) * 1000L;
    }

    /** R-U-THERE (answered) or R-U-THERE-ACK (the peer is alive) in a protected Informational. */
    void onNotify(IkeEngine engine, NotifyPayload n, long now) {
        byte[] data = n.data();
        if (data.length != 4) {
            return;
        }
        int seq = ByteBuffer.wrap(data).getInt();
        if (n.notifyType() == NotifyType.R_U_THERE) {
            // RFC 3706: sequence numbers only increase; an old one is a replay.
            if (sequenceIn != -1 && Integer.compareUnsigned(seq, sequenceIn) < 0) {
                return;
            }
            sequenceIn = seq;
            send(engine, NotifyType.R_U_THERE_ACK, seq);
        } else if (seq == sequenceOut) {
            outstanding = 0;
            int interval = intervalSeconds(engine);
            nextMillis = interval > 0 ? now + quietMillis(interval) : Long.MAX_VALUE;
            engine.reschedule(sa);
        }
    }

    private void send(IkeEngine engine, int type, int seq) {
        byte[] pair = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair();
        byte[] data = ByteBuffer.allocate(4).putInt(seq).array();
        Informational.sendProtected(engine, sa, List.of(NotifyPayload.of(ProtocolId.ISAKMP, type, pair, data)));
    }

    /** Folds the state into one number (tests: did a message change it?). */
    long stateHash() {
        return ((long) sequenceIn * 31 + lastHeardMillis) * 31 + outstanding;
    }
}
