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
 * Dead Peer Detection (RFC 3706), as {@code crypto isakmp keepalive S R} configures it: when nothing was heard
 * from the peer for S seconds, send R-U-THERE; unanswered, retry every R seconds; after five unanswered the peer
 * is dead and its SAs go. We always answer a peer's R-U-THERE.
 */
final class DeadPeerDetection {
    static final int MAX_UNANSWERED = 5;

    private DeadPeerDetection() {
    }

    static void start(IkeEngine engine, IkeSa sa, long now) {
        int interval = intervalSeconds(engine, sa);
        if (interval > 0 && sa.peerDpd) {
            sa.dpdSequenceOut = engine.random.nextInt() & 0x7fffffff;
            sa.dpdNextMillis = now + interval * 1000L;
        }
    }

    private static int intervalSeconds(IkeEngine engine, IkeSa sa) {
        if (sa.profile != null && sa.profile.keepaliveSeconds() > 0) {
            return sa.profile.keepaliveSeconds();
        }
        return engine.policy.dpdIntervalSeconds();
    }

    private static int retrySeconds(IkeEngine engine, IkeSa sa) {
        if (sa.profile != null && sa.profile.keepaliveRetrySeconds() > 0) {
            return sa.profile.keepaliveRetrySeconds();
        }
        return Math.max(1, engine.policy.dpdRetrySeconds());
    }

    /** The DPD timer fired: probe, or declare the peer dead. */
    static void onTimer(IkeEngine engine, IkeSa sa, long now) {
        int interval = intervalSeconds(engine, sa);
        if (sa.dpdOutstanding == 0 && now - sa.lastHeardMillis < interval * 1000L) {
            sa.dpdNextMillis = sa.lastHeardMillis + interval * 1000L; // heard recently: nothing to ask
            return;
        }
        if (sa.dpdOutstanding >= MAX_UNANSWERED) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": DPD: peer " + Ipv4.format(sa.peerAddress)
                    + " is dead, deleting its SAs");
            // The other SA of a client's phase-1 renewal is with the same dead peer: it goes too, so the client
            // connects again rather than hold an SA that cannot renew.
            IkeSa partner = engine.renewalPartner(sa);
            engine.remove(sa, RemovalCause.DPD, false, now);
            if (partner != null && !partner.deleted) {
                engine.remove(partner, RemovalCause.DPD, false, now);
            }
            return;
        }
        sa.dpdSequenceOut++;
        sa.dpdOutstanding++;
        send(engine, sa, NotifyType.R_U_THERE, sa.dpdSequenceOut);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": DPD/R_U_THERE sent to "
                + Ipv4.format(sa.peerAddress) + ", sequence " + Integer.toUnsignedString(sa.dpdSequenceOut));
        sa.dpdNextMillis = now + retrySeconds(engine, sa) * 1000L;
    }

    static void onNotify(IkeEngine engine, IkeSa sa, NotifyPayload n, long now) {
        byte[] data = n.data();
        if (data.length != 4) {
            return;
        }
        int seq = ByteBuffer.wrap(data).getInt();
        if (n.notifyType() == NotifyType.R_U_THERE) {
            // RFC 3706: sequence numbers only increase; an old one is a replay.
            if (sa.dpdSequenceIn != -1 && Integer.compareUnsigned(seq, sa.dpdSequenceIn) < 0) {
                return;
            }
            sa.dpdSequenceIn = seq;
            send(engine, sa, NotifyType.R_U_THERE_ACK, seq);
        } else if (seq == sa.dpdSequenceOut) {
            sa.dpdOutstanding = 0;
            int interval = intervalSeconds(engine, sa);
            sa.dpdNextMillis = interval > 0 ? now + interval * 1000L : Long.MAX_VALUE;
            engine.reschedule(sa);
        }
    }

    private static void send(IkeEngine engine, IkeSa sa, int type, int seq) {
        byte[] pair = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair();
        byte[] data = ByteBuffer.allocate(4).putInt(seq).array();
        Informational.sendProtected(engine, sa, List.of(NotifyPayload.of(ProtocolId.ISAKMP, type, pair, data)));
    }
}
