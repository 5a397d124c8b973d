package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.RemoteAccessSession.XauthState;
import dev.vpnrouter.ike.wire.ConfigAttribute;
import dev.vpnrouter.ike.wire.ConfigType;
import dev.vpnrouter.ike.wire.DataAttribute;

import java.util.ArrayList;
import java.util.List;

/**
 * Xauth, server side (draft-ietf-ipsec-isakmp-xauth-06; the hub is the Xauth initiator): REQUEST user name and
 * password, check the REPLY against the profile's {@code aaa authentication login} list, SET STATUS ok or fail,
 * take the ACK. A wrong password gets a new REQUEST, {@value RemoteAccessSession#MAX_ATTEMPTS} in all; then the
 * status is fail and the SA is deleted. Until Xauth succeeds no Quick Mode is accepted ({@link QuickModes}); when
 * the user does not answer within {@code crypto isakmp xauth timeout} the SA goes.
 *
 * <p>Like IOS (and strongSwan), the REQUEST carries XAUTH_USER_NAME and XAUTH_USER_PASSWORD and no XAUTH_TYPE:
 * the draft makes a missing type mean Generic.
 */
final class XauthServer {
    private XauthServer() {
    }

    /** Phase 1 is done and the profile asks for Xauth: send the first REQUEST. */
    static void start(IkeEngine engine, IkeSa sa, long now) {
        RemoteAccessSession ra = RemoteAccess.session(sa);
        if (sa.profile != null) {
            ra.authenticationList = sa.profile.authenticationList();
        }
        engine.remoteAccess.track(sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Need XAUTH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_INTERNAL, IKE_PHASE1_COMPLETE");
        move(engine, sa, XauthState.IKE_XAUTH_AAA_START_LOGIN_AWAIT);
        ra.xauthDeadlineMillis = now + engine.policy.xauthTimeoutSeconds() * 1000L;
        request(engine, sa, null, now);
    }

    private static void request(IkeEngine engine, IkeSa sa, String message, long now) {
        List<DataAttribute> attrs = new ArrayList<>();
        attrs.add(DataAttribute.empty(ConfigAttribute.XAUTH_USER_NAME));
        attrs.add(DataAttribute.empty(ConfigAttribute.XAUTH_USER_PASSWORD));
        if (message != null) {
            attrs.add(DataAttribute.text(ConfigAttribute.XAUTH_MESSAGE, message));
        }
        int mid = Transaction.sendRequest(engine, sa, TransactionState.Kind.XAUTH_REQUEST,
                ConfigType.ISAKMP_CFG_REQUEST, 0, attrs, now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to CONF_XAUTH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: request attribute XAUTH_USER_NAME_V2");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: request attribute XAUTH_USER_PASSWORD_V2");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": initiating peer config to "
                + Ipv4.format(sa.peerAddress) + ". ID = " + mid);
        sending(engine, sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_AAA, IKE_AAA_START_LOGIN");
        move(engine, sa, XauthState.IKE_XAUTH_REQ_SENT);
    }

    /** The longest user name or password Xauth checks; longer ones fail as a wrong password. */
    static final int MAX_CREDENTIAL_LENGTH = 128;

    /** The client's user name and password. */
    static void onReply(IkeEngine engine, IkeSa sa, Transaction.Message m, long now) {
        RemoteAccessSession ra = sa.ra;
        sa.tx.answered(sa);
        String user = m.attr().attribute(ConfigAttribute.XAUTH_USER_NAME).map(DataAttribute::text).orElse(null);
        String password = m.attr().attribute(ConfigAttribute.XAUTH_USER_PASSWORD).map(DataAttribute::text)
                .orElse(null);
        boolean cancelled = m.attr().attribute(ConfigAttribute.XAUTH_STATUS)
                .map(a -> a.unsigned().orElse(0) == ConfigAttribute.XauthStatus.FAIL).orElse(false);
        if (user != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: reply attribute XAUTH_USER_NAME_V2");
        }
        if (password != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: reply attribute XAUTH_USER_PASSWORD_V2");
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": deleting node " + m.mid()
                + " error FALSE reason \"done with xauth request/reply exchange\"");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_PEER, IKE_CFG_REPLY");
        move(engine, sa, XauthState.IKE_XAUTH_AAA_CONT_LOGIN_AWAIT);
        ra.attempts++;
        if (cancelled) {
            status(engine, sa, false, NegotiationFailure.XAUTH, "Xauth: user at " + Ipv4.format(sa.peerAddress)
                    + " cancelled the login", now);
            return;
        }
        // A credential longer than any real one fails without being hashed: md5-crypt's cost grows with the length
        // the client sends, and it runs on the router's loop.
        boolean oversized = user != null && user.length() > MAX_CREDENTIAL_LENGTH
                || password != null && password.length() > MAX_CREDENTIAL_LENGTH;
        if (oversized || !engine.policy.authenticate(ra.authenticationList, user, password)) {
            engine.counters.authFailures++;
            String why = "Xauth: authentication of user '" + Printable.of(user) + "' from " + Ipv4.format(sa.peerAddress)
                    + " failed (attempt " + ra.attempts + " of " + RemoteAccessSession.MAX_ATTEMPTS + ")";
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": " + why);
            if (ra.attempts < RemoteAccessSession.MAX_ATTEMPTS && user != null) {
                request(engine, sa, "Authentication failed, please try again", now);
            } else {
                status(engine, sa, false, NegotiationFailure.XAUTH, why, now);
            }
            return;
        }
        ra.user = user;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": XAUTH authentication of user '"
                + Printable.of(user) + "' successful");
        // The user is known now: an older SA of the same user (INITIAL-CONTACT) goes before the limits are counted.
        engine.remoteAccess.applyInitialContact(sa, now);
        String refusal = engine.remoteAccess.admit(sa);
        if (refusal != null) {
            status(engine, sa, false, NegotiationFailure.POLICY, refusal, now);
            return;
        }
        status(engine, sa, true, null, null, now);
    }

    /** SET XAUTH_STATUS: 1 to let the client in, 0 before we delete the SA. */
    private static void status(IkeEngine engine, IkeSa sa, boolean ok, NegotiationFailure why, String failure,
            long now) {
        RemoteAccessSession ra = sa.ra;
        if (!ok) {
            ra.xauth = XauthState.FAILED;
            engine.effectsRefusal(sa, why, failure);
        }
        int mid = Transaction.sendRequest(engine, sa, TransactionState.Kind.XAUTH_SET, ConfigType.ISAKMP_CFG_SET, 0,
                List.of(DataAttribute.tv(ConfigAttribute.XAUTH_STATUS,
                        ok ? ConfigAttribute.XauthStatus.OK : ConfigAttribute.XauthStatus.FAIL)), now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to CONF_XAUTH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": initiating peer config to "
                + Ipv4.format(sa.peerAddress) + ". ID = " + mid);
        sending(engine, sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_AAA, "
                + (ok ? "IKE_AAA_CONT_LOGIN" : "IKE_AAA_LOGIN_FAIL"));
        if (ok) {
            move(engine, sa, XauthState.IKE_XAUTH_SET_SENT);
        } else {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                    + ": Old State = IKE_XAUTH_AAA_CONT_LOGIN_AWAIT New State = IKE_XAUTH_SET_SENT");
        }
    }

    /** The client acknowledged the status. */
    static void onAck(IkeEngine engine, IkeSa sa, Transaction.Message m, long now) {
        RemoteAccessSession ra = sa.ra;
        sa.tx.answered(sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": XAUTH ACK Processed");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": deleting node " + m.mid()
                + " error FALSE reason \"done with transaction\"");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_PEER, IKE_CFG_ACK");
        if (ra.xauth == XauthState.FAILED) {
            engine.remove(sa, RemovalCause.XAUTH_FAILED, true, now);
            return;
        }
        succeeded(engine, sa, now);
    }

    private static void succeeded(IkeEngine engine, IkeSa sa, long now) {
        RemoteAccessSession ra = sa.ra;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = " + ra.xauth
                + " New State = IKE_P1_COMPLETE");
        ra.xauth = XauthState.DONE;
        ra.xauthDeadlineMillis = Long.MAX_VALUE;
        sa.xauthDone = true;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_INTERNAL, IKE_PHASE1_COMPLETE");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                + ": Old State = IKE_P1_COMPLETE New State = IKE_P1_COMPLETE");
        if (sa.profile != null && sa.profile.modeConfigInitiate()) {
            ModeConfigServer.initiate(engine, sa, now);
        }
    }

    /** {@code crypto isakmp xauth timeout}: the user did not answer in time. */
    static void timedOut(IkeEngine engine, IkeSa sa, long now) {
        sa.ra.xauthDeadlineMillis = Long.MAX_VALUE;
        engine.remoteAccess.fail(sa, NegotiationFailure.TIMEOUT, "Xauth: no answer from " + Ipv4.format(sa.peerAddress) + " within "
                + engine.policy.xauthTimeoutSeconds() + " s (crypto isakmp xauth timeout)", true, now);
    }

    private static void move(IkeEngine engine, IkeSa sa, XauthState next) {
        RemoteAccessSession ra = sa.ra;
        XauthState old = ra.xauth;
        ra.xauth = next;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = "
                + (old == XauthState.NONE ? "IKE_P1_COMPLETE" : old) + " New State = " + next);
    }

    private static void sending(IkeEngine engine, IkeSa sa) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending packet to "
                + Ipv4.format(sa.peerAddress) + " my_port " + sa.localPort + " peer_port " + sa.peerPort
                + " (R) CONF_XAUTH");
    }
}
