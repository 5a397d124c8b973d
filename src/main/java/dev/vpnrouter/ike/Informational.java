package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.DecodedMessage;
import dev.vpnrouter.ike.wire.DeletePayload;
import dev.vpnrouter.ike.wire.Doi;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.MessageRule;
import dev.vpnrouter.ike.wire.NotifyPayload;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.Payload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.PlainMessage;
import dev.vpnrouter.ike.wire.ProtocolId;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Informational exchange (RFC 2409 5.7): Deletes and notifies, protected by HASH(1) once phase 1 is done,
 * in clear before. DPD's R-U-THERE / R-U-THERE-ACK ride on it ({@link DeadPeerDetection}).
 */
final class Informational {
    private Informational() {
    }

    static void onMessage(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        if (!header.isEncrypted()) {
            onClear(engine, sa, d, header, now);
            return;
        }
        if (sa.keys == null) {
            return;
        }
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.INFORMATIONAL, "informational",
                c -> sa.keys.informationalHash(header.messageId(), c.rawAfter(0)));
        if (chain == null) {
            return;
        }
        // Each informational is a one-message exchange: its IV state is not needed again.
        engine.driver.forgetIv(sa, header.messageId());
        engine.heardFrom(sa, d, now);
        for (Payload p : chain.payloads()) {
            if (p instanceof NotifyPayload n) {
                onNotify(engine, sa, n, now);
            } else if (p instanceof DeletePayload del) {
                onDelete(engine, sa, del, now);
            }
            if (sa.deleted) {
                return;
            }
        }
    }

    /** A clear informational can only be believed so far: it may end a negotiation in progress, nothing more. */
    private static void onClear(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        DecodedMessage m = IsakmpCodec.decode(d.data());
        if (!(m instanceof PlainMessage pm)) {
            return;
        }
        MessageRule.INFORMATIONAL.check(header, pm.payloads());
        for (NotifyPayload n : pm.payloads().all(NotifyPayload.class)) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": received notify "
                    + NotifyType.name(n.notifyType()) + " from " + Ipv4.format(sa.peerAddress) + " (unprotected)");
            if (!sa.established() && sa.initiator && n.isError()) {
                String why = switch (n.notifyType()) {
                    case NotifyType.NO_PROPOSAL_CHOSEN -> "phase 1: peer " + Ipv4.format(sa.peerAddress)
                            + " accepted none of our proposals (" + Phase1.describePolicies(engine) + ")";
                    case NotifyType.INVALID_HASH_INFORMATION, NotifyType.PAYLOAD_MALFORMED,
                         NotifyType.AUTHENTICATION_FAILED -> "phase 1: peer " + Ipv4.format(sa.peerAddress)
                            + " could not authenticate us (" + NotifyType.name(n.notifyType())
                            + "): pre-shared key mismatch";
                    default -> "phase 1: peer " + Ipv4.format(sa.peerAddress) + " refused: "
                            + NotifyType.name(n.notifyType());
                };
                // MM5 that does not decrypt is answered with PAYLOAD-MALFORMED: a key mismatch, as the text says.
                NegotiationFailure cls = n.notifyType() == NotifyType.PAYLOAD_MALFORMED
                        ? NegotiationFailure.AUTHENTICATION : NegotiationFailure.ofNotify(n.notifyType());
                engine.refuse(sa, cls, why, now);
                return;
            }
        }
    }

    private static void onNotify(IkeEngine engine, IkeSa sa, NotifyPayload n, long now) {
        switch (n.notifyType()) {
            case NotifyType.R_U_THERE, NotifyType.R_U_THERE_ACK -> sa.dpd.onNotify(engine, n, now);
            case NotifyType.INITIAL_CONTACT -> engine.initialContact(sa, now);
            default -> {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": received notify "
                        + NotifyType.name(n.notifyType()) + " from " + Ipv4.format(sa.peerAddress));
                if (n.isError() && !sa.established()) {
                    engine.refuse(sa, NegotiationFailure.ofNotify(n.notifyType()), "phase 1: peer "
                            + Ipv4.format(sa.peerAddress) + " refused: "
                            + NotifyType.name(n.notifyType()), now);
                    return;
                }
                if (n.isError()) {
                    // The peer refused one of our Quick Modes: end whatever we were waiting for. A copy: ending
                    // one may start a VPN client's next split tunnel, which this refusal is not about.
                    for (QuickModeExchange qm : new ArrayList<>(sa.quickModes.values())) {
                        if (qm.initiator() && qm.state() == QuickModeExchange.State.QM_I1_SENT) {
                            qm.fail(NegotiationFailure.ofNotify(n.notifyType()),
                                    "phase 2: peer " + Ipv4.format(sa.peerAddress)
                                    + " refused Quick Mode for " + qm.local().ios() + " -> " + qm.remote().ios()
                                    + ": " + NotifyType.name(n.notifyType()), now);
                        }
                    }
                }
            }
        }
    }

    private static void onDelete(IkeEngine engine, IkeSa sa, DeletePayload del, long now) {
        if (del.protocolId() == ProtocolId.ISAKMP) {
            byte[] ours = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair();
            for (byte[] spi : del.spis()) {
                if (MessageDigest.isEqual(spi, ours)) {
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer " + Ipv4.format(sa.peerAddress)
                            + " deleted the ISAKMP SA");
                    engine.remove(sa, RemovalCause.PEER_DELETED, false, now);
                    return;
                }
            }
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Delete for an ISAKMP SA that is not this one,"
                    + " ignored");
            return;
        }
        if (del.protocolId() != ProtocolId.IPSEC_ESP || del.spiSize() != 4) {
            return;
        }
        for (byte[] spi : del.spis()) {
            int value = ByteBuffer.wrap(spi).getInt();
            ChildSa child = engine.children.byOutboundSpi(sa, value);
            if (child == null) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Delete for unknown SPI 0x"
                        + Integer.toHexString(value) + ", ignored");
                continue;
            }
            engine.children.delete(sa, child, "peer deleted it", false, now);
            if (sa.vpnClient != null && sa.established()) {
                // A VPN client has no traffic trigger (no crypto ACL to acquire on): it keeps its tunnels up
                // itself, as the Cisco client does, so a pair the hub deleted (clear crypto sa, an expiry on the
                // hub's clock) is negotiated again at once.
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": VPN client: renegotiating "
                        + child.local().ios() + " <-> " + child.remote().ios());
                ModeConfigClient.of(engine, sa).renegotiate(child, now);
            }
        }
    }

    static void sendDeleteChild(IkeEngine engine, IkeSa sa, ChildSa child, long now) {
        sendProtected(engine, sa, List.of(DeletePayload.ofSpis(ProtocolId.IPSEC_ESP, child.inboundSpi())));
    }

    static void sendDeleteIke(IkeEngine engine, IkeSa sa, long now) {
        byte[] pair = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair();
        sendProtected(engine, sa, List.of(DeletePayload.ofIsakmp(pair)));
    }

    static void sendProtectedNotify(IkeEngine engine, IkeSa sa, int notifyType, long now) {
        byte[] pair = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair();
        sendProtected(engine, sa, List.of(NotifyPayload.of(ProtocolId.ISAKMP, notifyType, pair, new byte[0])));
    }

    /** A one-message informational exchange with a fresh message ID, protected by HASH(1). */
    static void sendProtected(IkeEngine engine, IkeSa sa, List<? extends Payload> payloads) {
        if (sa.keys == null || sa.ivs.phase1() == null) {
            return;
        }
        sendProtected(engine, sa, engine.driver.newMessageId(sa), payloads);
    }

    private static void sendProtected(IkeEngine engine, IkeSa sa, int mid, List<? extends Payload> payloads) {
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.INFORMATIONAL, mid, 0, ExchangeDriver.HashKind.INFO, null,
                payloads);
        engine.driver.exchangeEnded(sa, mid);
        engine.send(engine.driver.datagramTo(sa, msg));
    }

    /**
     * Phase 1 done as responder and the peer proposed a longer lifetime than ours (the Cisco client and vpnc offer
     * 2147483 s): tell it ours, with IOS's lines for the one-message exchange.
     */
    static void sendResponderLifetime(IkeEngine engine, IkeSa sa) {
        if (sa.keys == null || sa.ivs.phase1() == null) {
            return;
        }
        int mid = engine.driver.newMessageId(sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to "
                + (sa.xauthRequired ? "CONF_XAUTH" : "QM_IDLE"));
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.sendingPacket(sa, (sa.initiator ? "(I)" : "(R)") + " QM_IDLE");
        sendProtected(engine, sa, mid, List.of(Phase1.responderLifetime(sa)));
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": purging node " + mid);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: Sending phase 1 responder lifetime " + sa.lifetimeSeconds);
    }

    /** An unprotected notify during phase 1 (before keys exist, or when the peer's keys are wrong). */
    static void sendClearNotify(IkeEngine engine, IkeSa sa, int notifyType) {
        IsakmpHeader h = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, ExchangeType.INFORMATIONAL, 0, 0);
        byte[] pair = h.cookiePair();
        NotifyPayload n = new NotifyPayload(Doi.IPSEC, ProtocolId.ISAKMP, notifyType, pair, new byte[0]);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending notify " + NotifyType.name(notifyType)
                + " to " + Ipv4.format(sa.peerAddress));
        engine.send(engine.driver.datagramTo(sa, IsakmpCodec.encode(h, List.of(n))));
    }
}
