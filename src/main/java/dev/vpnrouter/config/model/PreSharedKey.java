package dev.vpnrouter.config.model;

/**
 * A pre-shared key for peers by address (and mask: 0.0.0.0 0.0.0.0 is the wildcard) or by hostname: a keyring's
 * {@code pre-shared-key address A M key K} or a global {@code crypto isakmp key K address A M [no-xauth]}.
 */
public sealed interface PreSharedKey {
    String key();

    /** {@code no-xauth}: peers using this key skip Xauth (global keys only; false in keyrings). */
    boolean noXauth();

    record ByAddress(int address, int mask, String key, boolean noXauth) implements PreSharedKey {
        @Override
        public String toString() {
            return "ByAddress[" + dev.vpnrouter.common.Ipv4.format(address) + " "
                    + dev.vpnrouter.common.Ipv4.format(mask) + " key ***" + (noXauth ? " no-xauth" : "") + "]";
        }
    }

    record ByHostname(String hostname, String key, boolean noXauth) implements PreSharedKey {
        @Override
        public String toString() {
            return "ByHostname[" + hostname + " key ***" + (noXauth ? " no-xauth" : "") + "]";
        }
    }
}
