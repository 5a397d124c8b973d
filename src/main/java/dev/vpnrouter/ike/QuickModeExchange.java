package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.ProtocolId;

/**
 * One Quick Mode exchange (one message ID) on an ISAKMP SA, kept in {@link IkeSa#quickModes}. Each role's object
 * holds that exchange's own state (nonces, proposal, selectors, SPIs, PFS key) privately; what the rest of the
 * engine may ask of any Quick Mode is here.
 */
abstract sealed class QuickModeExchange permits QuickModeInitiator, QuickModeResponder {
    /** IOS's phase-2 node states. */
    enum State { QM_I1_SENT, QM_R1_ANSWERED, DONE }

    final IkeEngine engine;
    final IkeSa sa;
    private final int messageId;
    private final long startedAtMillis;
    private final Retransmission retransmission = new Retransmission();
    /** The last message of the peer's we answered and our answer, for its retransmissions. */
    private final ReplyCache replies = new ReplyCache();
    private State state;

    QuickModeExchange(IkeEngine engine, IkeSa sa, int messageId, long nowMillis) {
        this.engine = engine;
        this.sa = sa;
        this.messageId = messageId;
        this.startedAtMillis = nowMillis;
    }

    /** The peer's next message in this exchange (QM2 at the initiator, QM3 at the responder). */
    abstract void onMessage(Datagram d, IsakmpHeader header, long now) throws IsakmpDecodeException;

    /** Ends the exchange unfinished (refused, no answer); callers may be iterating a copy only. */
    abstract void fail(NegotiationFailure why, String reason, long now);

    abstract boolean initiator();

    /** Null until our first message of the exchange is out. */
    final State state() {
        return state;
    }

    /**
     * Moves to {@code next}. The SA table keeps every exchange in flight indexed by this, so the question "is
     * another peer negotiating this network?" (asked for every Quick Mode) costs the exchanges in flight, not
     * every ISAKMP SA.
     */
    final void enter(State next) {
        state = next;
        engine.sas.quickModeInFlight(this, next != State.DONE);
    }

    abstract ChildPolicy policy();

    abstract TrafficSelector local();

    abstract TrafficSelector remote();

    /** Our SPI, 0 until allocated. */
    abstract int inboundSpi();

    /** The nonces HASH(2), HASH(3) and KEYMAT take (null until known). */
    abstract byte[] initiatorNonce();

    abstract byte[] responderNonce();

    final int messageId() {
        return messageId;
    }

    final long startedAtMillis() {
        return startedAtMillis;
    }

    final Retransmission retransmission() {
        return retransmission;
    }

    final ReplyCache replies() {
        return replies;
    }

    /** Still negotiating: neither installed nor given up. */
    final boolean inFlight() {
        return state() != State.DONE;
    }

    /** The IPsec SA pair this exchange agreed on: both directions' keys (RFC 2409 5.5: KEYMAT with the receiving side's SPI). */
    final ChildSa childSa(EspProposal transform, int outboundSpi, byte[] pfsSecret, long lifetimeSeconds,
            long lifetimeKilobytes, long now) {
        int len = transform.keymatLength();
        byte[] in = sa.keys.keymat(ProtocolId.IPSEC_ESP, Phase2.spiBytes(inboundSpi()), initiatorNonce(),
                responderNonce(), pfsSecret, len);
        byte[] out = sa.keys.keymat(ProtocolId.IPSEC_ESP, Phase2.spiBytes(outboundSpi), initiatorNonce(),
                responderNonce(), pfsSecret, len);
        boolean udp = sa.natDetected();
        return new ChildSa(engine.children.nextId(), sa.connId, policy(), sa.localAddress, sa.peerAddress,
                udp ? sa.localPort : 0, udp ? sa.peerPort : 0, local(), remote(), transform, inboundSpi(), in,
                outboundSpi, out, lifetimeSeconds, lifetimeKilobytes, now, initiator());
    }
}
