package dev.vpnrouter.config.model;

/**
 * A {@code match identity} statement of an ISAKMP profile. {@code match identity address 0.0.0.0} without a mask
 * is IOS's wildcard and is stored with mask 0.0.0.0; any other address without a mask is a host (/32).
 */
public sealed interface MatchIdentity {
    /** {@code match identity address A [M]} against ID_IPV4_ADDR. */
    record Address(int address, int mask) implements MatchIdentity {
    }

    /** {@code match identity group G}: the VPN client group (ID_KEY_ID). */
    record Group(String name) implements MatchIdentity {
    }

    /** {@code match identity host H}: ID_FQDN equal to H. */
    record Host(String fqdn) implements MatchIdentity {
    }

    /** {@code match identity host domain D}: ID_FQDN ending in D. */
    record HostDomain(String domain) implements MatchIdentity {
    }

    /** {@code match identity user U}: ID_USER_FQDN equal to U. */
    record User(String fqdn) implements MatchIdentity {
    }

    /** {@code match identity user domain D}: ID_USER_FQDN ending in D. */
    record UserDomain(String domain) implements MatchIdentity {
    }
}
