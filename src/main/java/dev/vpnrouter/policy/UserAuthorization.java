package dev.vpnrouter.policy;

import java.util.Optional;

/**
 * What an authentication server's Access-Accept grants one VPN user beyond the login: a Mode Config address
 * (Framed-IP-Address), the local pool to take it from (Framed-Pool, or Cisco-AVPair {@code ipsec:addr-pool}), a
 * bound on the ISAKMP SA's life (Session-Timeout), and the per-user Cisco-AVPair {@code ipsec:*} overrides of the
 * group's Mode Config. The one home of the decisions what a user's own attributes change: the server may pick within
 * what the configuration offers, never outside it (fail closed).
 *
 * <p>Per-user overrides, as IOS's Easy VPN server takes them from a user's Accept (user attributes win over the
 * group's): {@code ipsec:user-vpn-group} (the user may log in through that group only: a group lock),
 * {@code ipsec:user-include-local-lan}, {@code ipsec:user-save-password}, and the group's own
 * {@code ipsec:addr-pool}, {@code ipsec:dns-servers}, {@code ipsec:wins-servers}, {@code ipsec:default-domain}.
 * Not per user here: the group's key, {@code key-exchange}, limits ({@code max-users}, {@code max-logins}),
 * {@code backup-gateway}, {@code banner}, and {@code split-tunnel-list} (it decides which networks the client may
 * claim in Quick Mode, which stays the group's); a user's Accept carrying them changes nothing.
 *
 * @param framedAddress         the address the server assigns, or 0 for none (the pool picks)
 * @param framedPool            the local pool the server names, or null for the group's
 * @param sessionTimeoutSeconds the longest phase 1 may live after the login, or 0 for no bound
 * @param dns                   the user's DNS servers, or empty for the group's
 * @param wins                  the user's WINS servers, or empty for the group's
 * @param domain                the user's default domain, or null for the group's
 * @param includeLocalLan       the user's include-local-lan, or null for the group's
 * @param savePassword          the user's save-password, or null for the group's
 * @param vpnGroup              the one group this user may log in through, or null for any
 */
public record UserAuthorization(int framedAddress, String framedPool, long sessionTimeoutSeconds,
        java.util.List<Integer> dns, java.util.List<Integer> wins, String domain, Boolean includeLocalLan,
        Boolean savePassword, String vpnGroup) {
    /** A login that said nothing more (local users, or a reply without these attributes). */
    public static final UserAuthorization NONE = new UserAuthorization(0, null, 0);

    public UserAuthorization {
        dns = java.util.List.copyOf(dns);
        wins = java.util.List.copyOf(wins);
    }

    /** Address, pool and Session-Timeout only, no Mode Config overrides. */
    public UserAuthorization(int framedAddress, String framedPool, long sessionTimeoutSeconds) {
        this(framedAddress, framedPool, sessionTimeoutSeconds, java.util.List.of(), java.util.List.of(), null, null,
                null, null);
    }

    /**
     * Why a user of this authorization may not log in through {@code group} ({@code ipsec:user-vpn-group} names
     * another), or null when it may.
     */
    public String groupRefusal(String group) {
        return vpnGroup == null || vpnGroup.equals(group) ? null
                : "user-vpn-group " + vpnGroup + " locks the user out of group " + group;
    }

    /** The DNS servers this user gets: its own, else {@code group}'s. */
    public java.util.List<Integer> dns(java.util.List<Integer> group) {
        return dns.isEmpty() ? group : dns;
    }

    /** The WINS servers this user gets: its own, else {@code group}'s. */
    public java.util.List<Integer> wins(java.util.List<Integer> group) {
        return wins.isEmpty() ? group : wins;
    }

    /** The default domain this user gets: its own, else {@code group}'s. */
    public String domain(String group) {
        return domain != null ? domain : group;
    }

    /** Whether this user may reach its local LAN outside the tunnel: its own setting, else {@code group}'s. */
    public boolean includeLocalLan(boolean group) {
        return includeLocalLan != null ? includeLocalLan : group;
    }

    /** Whether this user's client may save the password: its own setting, else {@code group}'s. */
    public boolean savePassword(boolean group) {
        return savePassword != null ? savePassword : group;
    }

    /** The engine's pools as this decision reads them. */
    public interface Pools {
        /** Whether {@code pool} is configured. */
        boolean exists(String pool);

        /** Whether {@code address} lies inside {@code pool}'s ranges. */
        boolean contains(String pool, int address);

        /** Who holds {@code address} of {@code pool} now, or null. */
        String holder(String pool, int address);
    }

    /** Where a client's Mode Config address comes from. */
    public sealed interface Assignment {
        /** From {@code pool}: {@code address} exactly, or the pool's next free one when 0. */
        record FromPool(String pool, int address) implements Assignment {
        }

        /** No address is asked for or configured: Mode Config sends none. */
        record NoAddress() implements Assignment {
        }

        /** The client is refused, for {@code why}. */
        record Refused(String why) implements Assignment {
        }
    }

    /**
     * The address for a client (holding none yet) of a group whose pool is {@code groupPool} (null: none):
     * Framed-Pool replaces the group's pool but must be configured; Framed-IP-Address must lie inside the pool in
     * force and be free. Anything else refuses the client rather than give it an address
     * the configuration does not offer, or one another peer holds.
     */
    public Assignment assign(String groupPool, Pools pools) {
        String pool = framedPool != null ? framedPool : groupPool;
        if (framedPool != null && !pools.exists(framedPool)) {
            return new Assignment.Refused("Framed-Pool " + framedPool + " names no ip local pool");
        }
        if (framedAddress == 0) {
            return pool == null ? new Assignment.NoAddress() : new Assignment.FromPool(pool, 0);
        }
        String address = dev.vpnrouter.common.Ipv4.format(framedAddress);
        if (pool == null || !pools.exists(pool)) {
            return new Assignment.Refused("Framed-IP-Address " + address + ": the group has no ip local pool to "
                    + "hold it");
        }
        if (!pools.contains(pool, framedAddress)) {
            return new Assignment.Refused("Framed-IP-Address " + address + " is outside ip local pool " + pool);
        }
        if (pools.holder(pool, framedAddress) != null) {
            // The asking SA holds no address yet: whoever holds this one is another peer, even the same user.
            return new Assignment.Refused("Framed-IP-Address " + address + " is held by another peer");
        }
        return new Assignment.FromPool(pool, framedAddress);
    }

    /** Session-Timeout as milliseconds, when set. */
    public Optional<Long> sessionTimeoutMillis() {
        return sessionTimeoutSeconds > 0 ? Optional.of(sessionTimeoutSeconds * 1000) : Optional.empty();
    }
}
