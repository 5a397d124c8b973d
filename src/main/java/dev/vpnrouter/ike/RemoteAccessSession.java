package dev.vpnrouter.ike;

/**
 * The hub's state for one VPN client SA: its group, the user Xauth authenticated, the limits it was counted under
 * and the pool address Mode Config gave it. Plain state on {@link IkeSa#ra}; {@link XauthServer} (whose dialogue
 * state is its own), {@link ModeConfigServer} and {@link RemoteAccess} advance it.
 */
final class RemoteAccessSession {

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
    /** The group as an authorization server gave it (no local group of that name); null for a local group. */
    dev.vpnrouter.ike.cfg.ClientGroup serverGroup;
    /** What the authentication server's Accept granted (address, pool, session time); NONE for local users. */
    dev.vpnrouter.policy.UserAuthorization authorization = dev.vpnrouter.policy.UserAuthorization.NONE;
    /**
     * When the server's Session-Timeout ends phase 1 (it was shorter than the lifetime); 0 when the lifetime
     * does. Accounting's Stop says Session-Timeout only for an expiry at this time.
     */
    long sessionTimeoutEndsAtMillis;

    /** The accounting session once started ({@link SessionAccounting}); null when not accounted. */
    SessionAccounting.Session accounting;

    /** The pool owner key: the same user of the same group gets its address back. */
    String owner(IkeSa sa) {
        return (group == null ? "" : group) + "/" + (user != null ? user
                : dev.vpnrouter.common.Ipv4.format(sa.peerAddress) + ":" + sa.peerPort);
    }
}
