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
 * Xauth, server side (draft-ietf-ipsec-isakmp-xauth-06; the hub is the Xauth initiator): REQUEST user name and
 * password, check the REPLY against the profile's {@code aaa authentication login} list, SET STATUS ok or fail,
 * take the ACK. A wrong password gets a new REQUEST, {@value #MAX_ATTEMPTS} in all; then the status is fail and
 * the SA is deleted. Until Xauth succeeds no Quick Mode is accepted ({@link QuickModes}); when the user does not
 * answer within {@code crypto isakmp xauth timeout} the SA goes. One object per hub SA ({@link IkeSa#xauthServer})
 * holding the dialogue's state: where it is, the attempts made, the deadline.
 *
 * <p>Like IOS (and strongSwan), the REQUEST carries XAUTH_USER_NAME and XAUTH_USER_PASSWORD and no XAUTH_TYPE:
 * the draft makes a missing type mean Generic.
 *
 * <p>A server's Access-Challenge (token cards: "enter the next passcode") becomes another REQUEST, as the Cisco
 * concentrators send it: XAUTH_MESSAGE with the server's Reply-Message, XAUTH_USER_NAME and XAUTH_PASSCODE. The
 * answer goes to the challenging group alone with the server's State; a different user name in it fails the login.
 * A challenge round is no wrong password (it counts no attempt), but a login gets at most
 * {@value #MAX_CHALLENGES} challenges: a server that keeps challenging fails the login (fail closed).
 */
final class XauthServer {
    /** IOS's Xauth states as {@code debug crypto isakmp} names them (the SA itself stays IKE_P1_COMPLETE). */
    enum State {
        NONE, IKE_XAUTH_AAA_START_LOGIN_AWAIT, IKE_XAUTH_REQ_SENT, IKE_XAUTH_AAA_CONT_LOGIN_AWAIT,
        IKE_XAUTH_SET_SENT, DONE, FAILED
    }

    /** Xauth gives up after this many wrong passwords. */
    static final int MAX_ATTEMPTS = 3;
    /** The most Access-Challenges one login answers (a token's next passcode, a new PIN and its confirmation). */
    static final int MAX_CHALLENGES = 3;

    private final IkeEngine engine;
    private final IkeSa sa;
    private State state = State.NONE;
    private int attempts;
    /** While AAA servers are asked: which answer we wait for, and for whom. */
    private long awaitedTicket;
    private String awaitedUser;
    /** The server challenge the REQUEST in flight asks the user to answer, or null. */
    private dev.vpnrouter.policy.LoginChallenge challenge;
    /** Challenges in this login; a new login (after a refusal) starts again at zero. */
    private int challenges;
    private long deadlineMillis = Long.MAX_VALUE;

    private XauthServer(IkeEngine engine, IkeSa sa) {
        this.engine = engine;
        this.sa = sa;
    }

    /** Phase 1 is done and the profile asks for Xauth: send the first REQUEST. */
    static void start(IkeEngine engine, IkeSa sa, long now) {
        RemoteAccessSession ra = RemoteAccess.session(sa);
        if (sa.profile != null) {
            ra.authenticationList = sa.profile.authenticationList();
        }
        engine.remoteAccess.track(sa);
        XauthServer xauth = new XauthServer(engine, sa);
        sa.xauthServer = xauth;
        xauth.begin(now);
    }

    private void begin(long now) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Need XAUTH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_INTERNAL, IKE_PHASE1_COMPLETE");
        move(State.IKE_XAUTH_AAA_START_LOGIN_AWAIT);
        deadlineMillis = now + engine.policy.xauthTimeoutSeconds() * 1000L;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: got callback 1"); // AAA ready to start the login
        request(null, now);
    }

    /** The user logged in and acknowledged it: Quick Modes may run. */
    boolean succeeded() {
        return state == State.DONE;
    }

    /** When {@code crypto isakmp xauth timeout} ends the login, or {@link Long#MAX_VALUE} once it is over. */
    long deadlineMillis() {
        return deadlineMillis;
    }

    private void request(String message, long now) {
        challenge = null;
        challenges = 0;
        ask(ConfigAttribute.XAUTH_USER_PASSWORD, message, now);
    }

    /** A REQUEST for the user name and {@code secret} (the password, or a challenge's passcode). */
    private void ask(int secret, String message, long now) {
        List<DataAttribute> attrs = new ArrayList<>();
        attrs.add(DataAttribute.empty(ConfigAttribute.XAUTH_USER_NAME));
        attrs.add(DataAttribute.empty(secret));
        if (message != null) {
            attrs.add(DataAttribute.text(ConfigAttribute.XAUTH_MESSAGE, message));
        }
        int mid = Transaction.sendRequest(engine, sa, TransactionState.Kind.XAUTH_REQUEST,
                ConfigType.ISAKMP_CFG_REQUEST, 0, attrs, now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to CONF_XAUTH");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: request attribute XAUTH_USER_NAME_V2");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: request attribute "
                + (secret == ConfigAttribute.XAUTH_PASSCODE ? "XAUTH_PASSCODE_V2" : "XAUTH_USER_PASSWORD_V2"));
        if (message != null) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP/xauth: request attribute XAUTH_MESSAGE_V2");
        }
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": initiating peer config to "
                + Ipv4.format(sa.peerAddress) + ". ID = " + mid);
        sending();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_AAA, IKE_AAA_START_LOGIN");
        move(State.IKE_XAUTH_REQ_SENT);
    }

    /** The longest user name or password Xauth checks; longer ones fail as a wrong password. */
    static final int MAX_CREDENTIAL_LENGTH = 128;

    /** The client's user name and password. */
    void onReply(Transaction.Message m, long now) {
        RemoteAccessSession ra = sa.ra;
        sa.tx.answered(engine.driver, sa);
        String user = m.attr().attribute(ConfigAttribute.XAUTH_USER_NAME).map(DataAttribute::text).orElse(null);
        dev.vpnrouter.policy.LoginChallenge answering = challenge;
        challenge = null;
        // A challenge's answer comes as XAUTH_PASSCODE (what we asked for); some clients send it as the password.
        String password = (answering != null ? m.attr().attribute(ConfigAttribute.XAUTH_PASSCODE) : java.util.Optional
                .<DataAttribute>empty()).or(() -> m.attr().attribute(ConfigAttribute.XAUTH_USER_PASSWORD))
                .map(DataAttribute::text).orElse(null);
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
        move(State.IKE_XAUTH_AAA_CONT_LOGIN_AWAIT);
        if (answering == null) {
            attempts++; // answering a challenge is no new attempt
        }
        if (cancelled) {
            status(false, NegotiationFailure.XAUTH, "Xauth: user at " + Ipv4.format(sa.peerAddress)
                    + " cancelled the login", now);
            return;
        }
        // A credential longer than any real one fails without being hashed: md5-crypt's cost grows with the length
        // the client sends, and it runs on the router's loop.
        boolean oversized = user != null && user.length() > MAX_CREDENTIAL_LENGTH
                || password != null && password.length() > MAX_CREDENTIAL_LENGTH;
        if (answering != null && (oversized || password == null || user != null && !user.equals(awaitedUser))) {
            // The passcode is for the user the server challenged, and no one else.
            String challenged = awaitedUser;
            awaitedUser = null;
            checked(false, challenged, now);
            return;
        }
        if (answering != null) {
            ask(new IkeEffect.Authenticate(sa.connId, 0, ra.authenticationList, awaitedUser, password,
                    sa.peerAddress, answering));
            return;
        }
        if (!oversized && user != null && password != null && engine.policy.loginAsksServers(ra.authenticationList)) {
            // RADIUS: the host asks off its loop and answers with authenticated(); we stay in AAA_CONT_LOGIN_AWAIT.
            awaitedUser = user;
            ask(new IkeEffect.Authenticate(sa.connId, 0, ra.authenticationList, user, password, sa.peerAddress,
                    null));
            return;
        }
        checked(!oversized && engine.policy.authenticate(ra.authenticationList, user, password), user, now);
    }

    /** Hands {@code request} (with a fresh ticket) to the host; we stay in AAA_CONT_LOGIN_AWAIT until it answers. */
    private void ask(IkeEffect.Authenticate request) {
        awaitedTicket = engine.nextAuthenticationTicket();
        engine.effect(new IkeEffect.Authenticate(request.connId(), awaitedTicket, request.list(), request.user(),
                request.password(), request.peerAddress(), request.answering()));
    }

    /** The host's answer to our {@link IkeEffect.Authenticate}; a stale or unknown ticket is ignored. */
    void serversAnswered(long ticket, boolean passed, dev.vpnrouter.policy.UserAuthorization authorization,
            long now) {
        if (!awaiting(ticket)) {
            return;
        }
        String user = awaitedUser;
        awaitedUser = null;
        if (passed) {
            sa.ra.authorization = authorization;
        }
        checked(passed, user, now);
    }

    /**
     * The host's answer to our {@link IkeEffect.Authenticate}: the server wants more ({@code challenge}); the user
     * is asked for it, or, past {@value #MAX_CHALLENGES} challenges, the login fails.
     */
    void serversChallenged(long ticket, dev.vpnrouter.policy.LoginChallenge challenged, long now) {
        if (!awaiting(ticket)) {
            return;
        }
        if (++challenges > MAX_CHALLENGES) {
            String user = awaitedUser;
            awaitedUser = null;
            engine.counters.authFailures++;
            status(false, NegotiationFailure.XAUTH, "Xauth: RADIUS group " + challenged.group() + " challenged user '"
                    + Printable.of(user) + "' from " + Ipv4.format(sa.peerAddress) + " more than " + MAX_CHALLENGES
                    + " times", now);
            return;
        }
        challenge = challenged;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Xauth: RADIUS group " + challenged.group()
                + " challenges user '" + Printable.of(awaitedUser) + "' (" + challenges + " of " + MAX_CHALLENGES + ")");
        ask(ConfigAttribute.XAUTH_PASSCODE, challenged.message().isEmpty() ? "Enter the next passcode"
                : challenged.message(), now);
    }

    private boolean awaiting(long ticket) {
        return state == State.IKE_XAUTH_AAA_CONT_LOGIN_AWAIT && ticket == awaitedTicket && awaitedUser != null;
    }

    /** The login list's verdict on {@code user}: a new REQUEST or a failed status, or the user is in. */
    private void checked(boolean passed, String user, long now) {
        RemoteAccessSession ra = sa.ra;
        if (!passed) {
            engine.counters.authFailures++;
            String why = "Xauth: authentication of user '" + Printable.of(user) + "' from " + Ipv4.format(sa.peerAddress)
                    + " failed (attempt " + attempts + " of " + MAX_ATTEMPTS + ")";
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": " + why);
            if (attempts < MAX_ATTEMPTS && user != null) {
                request("Authentication failed, please try again", now);
            } else {
                status(false, NegotiationFailure.XAUTH, why, now);
            }
            return;
        }
        String locked = ra.authorization.groupRefusal(ra.group);
        if (locked != null) {
            engine.counters.authFailures++;
            status(false, NegotiationFailure.POLICY, "Xauth: user '" + Printable.of(user) + "' from "
                    + Ipv4.format(sa.peerAddress) + " refused: " + locked, now);
            return;
        }
        ra.user = user;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: got callback 1"); // the login list's verdict
        // Session-Timeout: phase 1 lives no longer than the server allows (its expiry deletes the SA as usual).
        ra.authorization.sessionTimeoutMillis().ifPresent(t -> {
            if (now + t < sa.expiresAtMillis) {
                sa.expiresAtMillis = now + t;
                ra.sessionTimeoutEndsAtMillis = sa.expiresAtMillis; // the server's bound, not the lifetime, ends it
            }
        });
        // The user is known now: an older SA of the same user (INITIAL-CONTACT) goes before the limits are counted.
        engine.remoteAccess.applyInitialContact(sa, now);
        String refusal = engine.remoteAccess.admit(sa);
        if (refusal != null) {
            status(false, NegotiationFailure.POLICY, refusal, now);
            return;
        }
        status(true, null, null, now);
    }

    /** SET XAUTH_STATUS: 1 to let the client in, 0 before we delete the SA. */
    private void status(boolean ok, NegotiationFailure why, String failure, long now) {
        if (!ok) {
            state = State.FAILED;
            engine.effectsRefusal(sa, why, failure);
        }
        int mid = Transaction.sendRequest(engine, sa, TransactionState.Kind.XAUTH_SET, ConfigType.ISAKMP_CFG_SET, 0,
                List.of(DataAttribute.tv(ConfigAttribute.XAUTH_STATUS,
                        ok ? ConfigAttribute.XauthStatus.OK : ConfigAttribute.XauthStatus.FAIL)), now);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: set new node " + mid + " to CONF_XAUTH");
        engine.debug(DebugCategory.ENGINE, "CryptoEngine0: generate hmac context for conn id " + sa.connId);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": initiating peer config to "
                + Ipv4.format(sa.peerAddress) + ". ID = " + mid);
        sending();
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_AAA, "
                + (ok ? "IKE_AAA_CONT_LOGIN" : "IKE_AAA_LOGIN_FAIL"));
        if (ok) {
            move(State.IKE_XAUTH_SET_SENT);
        } else {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                    + ": Old State = IKE_XAUTH_AAA_CONT_LOGIN_AWAIT New State = IKE_XAUTH_SET_SENT");
        }
    }

    /** The client acknowledged the status. */
    void onAck(Transaction.Message m, long now) {
        sa.tx.answered(engine.driver, sa);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": XAUTH ACK Processed");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": deleting node " + m.mid()
                + " error FALSE reason \"done with transaction\"");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_FROM_PEER, IKE_CFG_ACK");
        if (state == State.FAILED) {
            engine.remove(sa, RemovalCause.XAUTH_FAILED, true, now);
            return;
        }
        succeeded(now);
    }

    private void succeeded(long now) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = " + state
                + " New State = IKE_P1_COMPLETE");
        state = State.DONE;
        deadlineMillis = Long.MAX_VALUE;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Input = IKE_MSG_INTERNAL, IKE_PHASE1_COMPLETE");
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag()
                + ": Old State = IKE_P1_COMPLETE New State = IKE_P1_COMPLETE");
        if (sa.profile != null && sa.profile.modeConfigInitiate()) {
            ModeConfigServer.initiate(engine, sa, now);
        }
    }

    /** {@code crypto isakmp xauth timeout}: the user did not answer in time. */
    void timedOut(long now) {
        deadlineMillis = Long.MAX_VALUE;
        engine.remoteAccess.fail(sa, NegotiationFailure.TIMEOUT, "Xauth: no answer from " + Ipv4.format(sa.peerAddress) + " within "
                + engine.policy.xauthTimeoutSeconds() + " s (crypto isakmp xauth timeout)", true, now);
    }

    private void move(State next) {
        State old = state;
        state = next;
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Old State = "
                + (old == State.NONE ? "IKE_P1_COMPLETE" : old) + " New State = " + next);
    }

    private void sending() {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": sending packet to "
                + Ipv4.format(sa.peerAddress) + " my_port " + sa.localPort + " peer_port " + sa.peerPort
                + " (R) CONF_XAUTH");
    }
}
