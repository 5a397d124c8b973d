package dev.vpnrouter.policy;

/** The identity a peer sends in its ID payload, as ISAKMP profiles match it. */
public sealed interface PeerIdentity {
    /** ID_IPV4_ADDR. */
    record Address(int address) implements PeerIdentity {
    }

    /** ID_FQDN: a hostname. */
    record Fqdn(String name) implements PeerIdentity {
    }

    /** ID_USER_FQDN: user@domain. */
    record UserFqdn(String name) implements PeerIdentity {
    }

    /** ID_KEY_ID: what Cisco VPN clients and vpnc send, the group name. */
    record KeyId(String name) implements PeerIdentity {
    }
}
