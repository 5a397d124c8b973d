package dev.vpnrouter.ike.cfg;

/**
 * An ISAKMP profile as the engine uses it: its name, the keyring it restricts keys to (null: any), whether peers
 * matching it must pass Xauth, and its client group for Mode Config (null for LAN-to-LAN profiles).
 *
 * @param xauthRequired       {@code client authentication list NAME} is set
 * @param clientGroup         {@code match identity group NAME}, null for LAN-to-LAN profiles
 * @param modeConfigInitiate  {@code client configuration address initiate}: we push Mode Config (SET)
 * @param authenticationList  the NAME of {@code client authentication list NAME} (an {@code aaa authentication
 *                            login} list); null means the {@code default} list
 * @param modeConfigRespond   {@code client configuration address respond}: we answer the client's Mode Config
 *                            REQUEST
 * @param accountingList      the NAME of {@code client accounting list NAME} (an {@code aaa accounting network}
 *                            list); null: no accounting records for the profile's sessions
 */
public record PeerProfile(String name, String keyring, boolean xauthRequired, String clientGroup,
        boolean modeConfigInitiate, int keepaliveSeconds, int keepaliveRetrySeconds, String authenticationList,
        boolean modeConfigRespond, String authorizationList, String accountingList) {

    /** A profile without {@code client accounting list}. */
    public PeerProfile(String name, String keyring, boolean xauthRequired, String clientGroup,
            boolean modeConfigInitiate, int keepaliveSeconds, int keepaliveRetrySeconds, String authenticationList,
            boolean modeConfigRespond, String authorizationList) {
        this(name, keyring, xauthRequired, clientGroup, modeConfigInitiate, keepaliveSeconds, keepaliveRetrySeconds,
                authenticationList, modeConfigRespond, authorizationList, null);
    }

    /** A profile without {@code isakmp authorization list}. */
    public PeerProfile(String name, String keyring, boolean xauthRequired, String clientGroup,
            boolean modeConfigInitiate, int keepaliveSeconds, int keepaliveRetrySeconds, String authenticationList,
            boolean modeConfigRespond) {
        this(name, keyring, xauthRequired, clientGroup, modeConfigInitiate, keepaliveSeconds, keepaliveRetrySeconds,
                authenticationList, modeConfigRespond, null);
    }

    /** A profile without an explicit authentication list; groups answer Mode Config requests. */
    public PeerProfile(String name, String keyring, boolean xauthRequired, String clientGroup,
            boolean modeConfigInitiate, int keepaliveSeconds, int keepaliveRetrySeconds) {
        this(name, keyring, xauthRequired, clientGroup, modeConfigInitiate, keepaliveSeconds, keepaliveRetrySeconds,
                null, clientGroup != null);
    }
}
