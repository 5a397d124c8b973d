package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.ConfigType;
import dev.vpnrouter.ike.wire.DataAttribute;

import java.util.ArrayList;
import java.util.List;

/**
 * Xauth, client side (our VPN client role): answer the hub's REQUEST with the profile's user name and password,
 * ACK its STATUS, then pull Mode Config. A second REQUEST means the password was refused; we answer again with
 * what we have (a person would retype it) and the hub decides when to give up. Without credentials the REQUEST
 * stays unanswered. A REQUEST for XAUTH_PASSCODE is the hub's server challenging (a token card's next passcode,
 * its XAUTH_MESSAGE the server's prompt): answered with the profile's next passcode, each used once; with none left
 * the login is given up. One object per client SA ({@link IkeSa#xauthClient}), made by the hub's first REQUEST.
 */
final class XauthClient {
    private final IkeEngine engine;
    private final IkeSa sa;
    /** REQUESTs received: a second one means the hub refused our password. */
    private int requests;
    /** Passcodes of the profile used so far. */
    private int passcodesUsed;

    private XauthClient(IkeEngine engine, IkeSa sa) {
        this.engine = engine;
        this.sa = sa;
    }

    /** The client SA's Xauth, made when the hub first asks. */
    static XauthClient of(IkeEngine engine, IkeSa sa) {
        if (sa.xauthClient == null) {
            sa.xauthClient = new XauthClient(engine, sa);
        }
        return sa.xauthClient;
    }

    void onRequest(Transaction.Message m, long now) {
        VpnClientSession client = sa.vpnClient;
        client.waitDeadlineMillis = Long.MAX_VALUE;
        requests++;
        m.attr().attribute(ConfigAttribute.XAUTH_MESSAGE).ifPresent(a -> engine.debug(DebugCategory.ISAKMP,
                "ISAKMP " + sa.tag() + ": Xauth message from " + Ipv4.format(sa.peerAddress) + ": " + Printable.of(a.text())));
        if (requests > 1 && !m.has(ConfigAttribute.XAUTH_PASSCODE)) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Xauth asks again (request "
                    + requests + "): the hub refused our password");
        }
        if (client.profile.username() == null || client.profile.password() == null) {
            engine.effectsRefusal(sa, NegotiationFailure.XAUTH, "Xauth: hub " + Ipv4.format(sa.peerAddress)
                    + " asks for a user name and password, and none is configured");
            Transaction.state(sa).finish(engine.driver, sa, m.mid());
            return;
        }
        long type = m.attr().attribute(ConfigAttribute.XAUTH_TYPE).map(a -> a.unsigned().orElse(0)).orElse(0L);
        if (type != ConfigAttribute.XauthType.GENERIC) {
            engine.effectsRefusal(sa, NegotiationFailure.XAUTH, "Xauth: hub " + Ipv4.format(sa.peerAddress) + " asks for Xauth type " + type
                    + "; only generic user name and password is supported");
            Transaction.state(sa).finish(engine.driver, sa, m.mid());
            return;
        }
        if (m.has(ConfigAttribute.XAUTH_PASSCODE) && passcodesUsed >= client.profile.passcodes().size()) {
            engine.effectsRefusal(sa, NegotiationFailure.XAUTH, "Xauth: hub " + Ipv4.format(sa.peerAddress)
                    + " asks for a passcode, and " + (passcodesUsed == 0 ? "none is configured"
                    : "the " + passcodesUsed + " configured are used"));
            Transaction.state(sa).finish(engine.driver, sa, m.mid());
            return;
        }
        List<DataAttribute> reply = new ArrayList<>();
        // One passcode per REQUEST, however many times a (hostile) hub lists the attribute.
        String passcode = m.has(ConfigAttribute.XAUTH_PASSCODE) ? client.profile.passcodes().get(passcodesUsed++) : null;
        boolean passcodeSent = false;
        for (DataAttribute a : m.attr().attributes()) {
            switch (a.type()) {
                case ConfigAttribute.XAUTH_TYPE -> reply.add(DataAttribute.tv(a.type(), (int) type));
                case ConfigAttribute.XAUTH_USER_NAME -> reply.add(DataAttribute.text(a.type(),
                        client.profile.username()));
                case ConfigAttribute.XAUTH_USER_PASSWORD -> reply.add(DataAttribute.text(a.type(),
                        client.profile.password()));
                case ConfigAttribute.XAUTH_PASSCODE -> {
                    if (!passcodeSent) {
                        reply.add(DataAttribute.text(a.type(), passcode));
                        passcodeSent = true;
                    }
                }
                default -> {
                    // XAUTH_MESSAGE is for display; XAUTH_CHALLENGE/ANSWER/NEXT_PIN are not supported
                }
            }
        }
        Transaction.sendAnswer(engine, sa, m, ConfigType.ISAKMP_CFG_REPLY, reply);
        client.state = VpnClientSession.State.XAUTH_ANSWERED;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Xauth: sent user name "
                + client.profile.username() + " to " + Ipv4.format(sa.peerAddress));
    }

    void onStatus(Transaction.Message m, long now) {
        VpnClientSession client = sa.vpnClient;
        DataAttribute status = m.attr().attribute(ConfigAttribute.XAUTH_STATUS).orElseThrow();
        boolean ok = status.unsigned().orElse(0) == ConfigAttribute.XauthStatus.OK;
        Transaction.sendAnswer(engine, sa, m, ConfigType.ISAKMP_CFG_ACK, List.of(status));
        if (!ok) {
            engine.refuse(sa, NegotiationFailure.XAUTH, "Xauth: hub " + Ipv4.format(sa.peerAddress) + " rejected user "
                    + client.profile.username(), now);
            return;
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Xauth: user " + client.profile.username()
                + " authenticated by " + Ipv4.format(sa.peerAddress));
        ModeConfigClient.start(engine, sa, now);
    }
}
