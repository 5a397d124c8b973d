package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.crypto.DhKeyPair;

/** The state of one Quick Mode exchange (one message ID) on an ISAKMP SA. */
final class QuickModeExchange {
    /** IOS's phase-2 node states. */
    enum State { QM_I1_SENT, QM_R1_ANSWERED, DONE }

    final int messageId;
    final boolean initiator;
    State state;
    ChildPolicy policy;
    TrafficSelector local;
    TrafficSelector remote;
    boolean sendIds;
    EspProposal transform;
    int inboundSpi;
    int outboundSpi;
    byte[] initiatorNonce;
    byte[] responderNonce;
    DhKeyPair pfsKey;
    byte[] peerPfsPublic;
    byte[] pfsSecret;
    long lifetimeSeconds;
    long lifetimeKilobytes;
    /** The child SA this exchange replaces (a rekey), or null. */
    ChildSa replacing;
    final Retransmission retransmission = new Retransmission();
    /** The last message of the peer's we answered and our answer, for its retransmissions. */
    final ReplyCache replies = new ReplyCache();
    long startedAtMillis;

    QuickModeExchange(int messageId, boolean initiator, long nowMillis) {
        this.messageId = messageId;
        this.initiator = initiator;
        this.startedAtMillis = nowMillis;
    }
}
