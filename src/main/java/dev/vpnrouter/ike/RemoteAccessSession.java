package dev.vpnrouter.ike;

/**
 * The hub's state for one VPN client SA: its group, the Xauth dialogue, the user it authenticated and the pool
 * address Mode Config gave it. Plain state on {@link IkeSa#ra}; {@link XauthServer}, {@link ModeConfigServer} and
 * {@link RemoteAccess} advance it.
 */
final class RemoteAccessSession {
    /** IOS's Xauth states as {@code debug crypto isakmp} names them (the SA itself stays IKE_P1_COMPLETE). */
    enum XauthState {
        NONE, IKE_XAUTH_AAA_START_LOGIN_AWAIT, IKE_XAUTH_REQ_SENT, IKE_XAUTH_AAA_CONT_LOGIN_AWAIT,
        IKE_XAUTH_SET_SENT, DONE, FAILED
    }

    /** Xauth gives up after this many wrong passwords. */
    static final int MAX_ATTEMPTS = 3;

    /** The group name (ID_KEY_ID) or the profile's group; null for an Xauth-only SA without a group. */
    String group;
    /** The {@code aaa authentication login} list Xauth checks users against (null: "default"). */
    String authenticationList;
    /**
     * Set when Aggressive Mode went on with a made-up key so that an unknown group looks like a wrong key; the
     * reason is logged when HASH_I then fails.
     */
    String decoyReason;
    /** The peer sent INITIAL-CONTACT; for clients it is applied once the user is known. */
    boolean initialContact;

    XauthState xauth = XauthState.NONE;
    int attempts;
    long xauthDeadlineMillis = Long.MAX_VALUE;
    String user;
    /** max-users / max-logins were checked and passed; the group and user it was counted under. */
    boolean admitted;
    String countedGroup;
    String countedUser;
    /** Indexed by peer address and port for INITIAL-CONTACT (see {@link RemoteAccess#track}). */
    boolean tracked;
    long trackedEndpoint;

    String poolName;
    int address;

    /** The pool owner key: the same user of the same group gets its address back. */
    String owner(IkeSa sa) {
        return (group == null ? "" : group) + "/" + (user != null ? user
                : dev.vpnrouter.common.Ipv4.format(sa.peerAddress) + ":" + sa.peerPort);
    }
}
