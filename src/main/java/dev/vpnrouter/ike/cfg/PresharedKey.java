package dev.vpnrouter.ike.cfg;

/**
 * A pre-shared key found for a peer, and where it came from for the log ("keyring spokes", "default").
 *
 * @param noXauth configured with {@code crypto isakmp key ... no-xauth}
 */
public record PresharedKey(byte[] key, String keyring, boolean noXauth) {
    @Override
    public String toString() {
        return "PresharedKey[keyring " + keyring + " key ***" + (noXauth ? " no-xauth" : "") + "]";
    }
}
