package dev.vpnrouter.ike.cfg;

/**
 * An ISAKMP profile as the engine uses it: its name, the keyring it restricts keys to (null: any), whether peers
 * matching it must pass Xauth, and its client group for Mode Config (null for LAN-to-LAN profiles).
 */
public record PeerProfile(String name, String keyring, boolean xauthRequired, String clientGroup,
        boolean modeConfigInitiate, int keepaliveSeconds, int keepaliveRetrySeconds) {
}
