package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.AttributePayload;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.ConfigType;
import dev.vpnrouter.ike.wire.DataAttribute;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.MessageRule;
import dev.vpnrouter.ike.wire.PayloadChain;

import java.util.List;

/**
 * The Transaction exchange (draft-dukes-ike-mode-cfg-02: HDR*, HASH, ATTR), which carries Xauth and Mode Config.
 * It decrypts and authenticates ({@code HASH = prf(SKEYID_a, M-ID | ATTR)}, the Informational form), answers
 * retransmitted requests from its cache, and hands each message to the step it belongs to: on the hub
 * {@link XauthServer} and {@link ModeConfigServer}, in our client role {@link XauthClient} and
 * {@link ModeConfigClient}. A LAN-to-LAN SA has no Transaction business: its messages are dropped unanswered.
 */
final class Transaction {
    private Transaction() {
    }

    static void onMessage(IkeEngine engine, IkeSa sa, Datagram d, IsakmpHeader header, long now)
            throws IsakmpDecodeException {
        int mid = header.messageId();
        if (sa.ra == null && sa.vpnClient == null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Transaction exchange from "
                    + Ipv4.format(sa.peerAddress) + " dropped: no Xauth or Mode Config on this SA");
            return;
        }
        if (!sa.established() || sa.keys == null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Transaction before phase 1 completed, dropped");
            return;
        }
        TransactionState tx = state(sa);
        if (engine.driver.resendAnswer(sa, tx, d, mid)) {
            return;
        }
        long fingerprint = ExchangeDriver.fingerprint(d.data());
        if (tx.finished(mid)) {
            engine.counters.duplicates++;
            return;
        }
        boolean ours = tx.waitingFor(mid);
        PayloadChain chain = engine.driver.openProtected(sa, d, header, MessageRule.TRANSACTION, "transaction "
                + Integer.toUnsignedString(mid), c -> sa.keys.informationalHash(mid, c.rawAfter(0)));
        if (chain == null) {
            return;
        }
        engine.heardFrom(sa, d, now);
        AttributePayload attr = chain.first(AttributePayload.class).orElseThrow();
        if (!ours) { // the peer starts an exchange (a Mode Config request): a new node for its message ID
            engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to QM_IDLE");
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing transaction payload from "
                + Ipv4.format(sa.peerAddress) + ". message ID = " + mid);
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: Config payload " + typeName(attr.cfgType()));
        Message m = new Message(mid, attr, d, fingerprint);
        boolean handled = sa.ra != null ? hub(engine, sa, tx, m, ours, now) : client(engine, sa, tx, m, ours, now);
        if (!handled) {
            engine.driver.forgetIv(sa, mid); // kept when it is our outstanding request's
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": unexpected " + typeName(attr.cfgType())
                    + " in transaction " + Integer.toUnsignedString(mid) + ", ignored");
        }
    }

    /** A received, authenticated Transaction message. */
    record Message(int mid, AttributePayload attr, Datagram datagram, long fingerprint) {
        int cfgType() {
            return attr.cfgType();
        }

        boolean has(int attributeType) {
            return attr.attribute(attributeType).isPresent();
        }
    }

    private static boolean hub(IkeEngine engine, IkeSa sa, TransactionState tx, Message m, boolean ours, long now) {
        if (ours) {
            switch (tx.outstanding()) {
                case XAUTH_REQUEST -> {
                    if (m.cfgType() == ConfigType.ISAKMP_CFG_REPLY) {
                        sa.xauthServer.onReply(m, now);
                        return true;
                    }
                }
                case XAUTH_SET -> {
                    if (m.cfgType() == ConfigType.ISAKMP_CFG_ACK) {
                        sa.xauthServer.onAck(m, now);
                        return true;
                    }
                }
                case MODECFG_SET -> {
                    if (m.cfgType() == ConfigType.ISAKMP_CFG_ACK) {
                        ModeConfigServer.onAck(engine, sa, m, now);
                        return true;
                    }
                }
                default -> {
                }
            }
            return false;
        }
        if (m.cfgType() == ConfigType.ISAKMP_CFG_REQUEST) {
            ModeConfigServer.onRequest(engine, sa, m, now);
            return true;
        }
        return false;
    }

    private static boolean client(IkeEngine engine, IkeSa sa, TransactionState tx, Message m, boolean ours,
            long now) {
        if (ours) {
            if (tx.outstanding() == TransactionState.Kind.MODECFG_REQUEST
                    && m.cfgType() == ConfigType.ISAKMP_CFG_REPLY) {
                ModeConfigClient.of(engine, sa).onReply(m, now);
                return true;
            }
            return false;
        }
        boolean xauth = m.has(ConfigAttribute.XAUTH_USER_NAME) || m.has(ConfigAttribute.XAUTH_USER_PASSWORD)
                || m.has(ConfigAttribute.XAUTH_TYPE) || m.has(ConfigAttribute.XAUTH_PASSCODE);
        if (m.cfgType() == ConfigType.ISAKMP_CFG_REQUEST && xauth) {
            XauthClient.of(engine, sa).onRequest(m, now);
            return true;
        }
        if (m.cfgType() == ConfigType.ISAKMP_CFG_SET && m.has(ConfigAttribute.XAUTH_STATUS)) {
            XauthClient.of(engine, sa).onStatus(m, now);
            return true;
        }
        if (m.cfgType() == ConfigType.ISAKMP_CFG_SET) {
            ModeConfigClient.of(engine, sa).onSet(m, now);
            return true;
        }
        return false;
    }

    static TransactionState state(IkeSa sa) {
        if (sa.tx == null) {
            sa.tx = new TransactionState();
        }
        return sa.tx;
    }

    /** Starts an exchange of ours (REQUEST or SET) with a fresh message ID; it is resent until answered. */
    static int sendRequest(IkeEngine engine, IkeSa sa, TransactionState.Kind kind, int cfgType, int identifier,
            List<DataAttribute> attributes, long now) {
        TransactionState tx = state(sa);
        if (tx.outstanding() != null) {
            tx.answered(engine.driver, sa); // a new step supersedes an unanswered one
        }
        int mid = engine.driver.newMessageId(sa);
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.TRANSACTION, mid, 0, ExchangeDriver.HashKind.INFO, null,
                List.of(new AttributePayload(cfgType, identifier, attributes)));
        tx.expect(kind, mid);
        engine.driver.sendRequest(sa, tx.retransmission(), engine.driver.datagramTo(sa, msg), now);
        return mid;
    }

    /** Answers the peer's REQUEST or SET (REPLY or ACK) in its exchange, which ends with it. */
    static void sendAnswer(IkeEngine engine, IkeSa sa, Message request, int cfgType,
            List<DataAttribute> attributes) {
        TransactionState tx = state(sa);
        byte[] msg = engine.driver.protectedMessage(sa, ExchangeType.TRANSACTION, request.mid(), 0, ExchangeDriver.HashKind.INFO,
                null, List.of(new AttributePayload(cfgType, request.attr().identifier(), attributes)));
        Datagram answer = engine.driver.datagramTo(sa, msg);
        tx.rememberAnswer(request.fingerprint(), answer);
        tx.finish(engine.driver, sa, request.mid());
        engine.send(answer);
    }

    static String typeName(int cfgType) {
        return switch (cfgType) {
            case ConfigType.ISAKMP_CFG_REQUEST -> "REQUEST";
            case ConfigType.ISAKMP_CFG_REPLY -> "REPLY";
            case ConfigType.ISAKMP_CFG_SET -> "SET";
            case ConfigType.ISAKMP_CFG_ACK -> "ACK";
            default -> "type " + cfgType;
        };
    }
}
