package dev.vpnrouter.policy;

import java.util.Optional;

/**
 * What an authentication server's Access-Accept grants one VPN user beyond the login: a Mode Config address
 * (Framed-IP-Address), the local pool to take it from (Framed-Pool) and a bound on the ISAKMP SA's life
 * (Session-Timeout). The one home of the decision which address a client gets when a server has a say: the server
 * may pick within what the configuration offers, never outside it (fail closed).
 *
 * @param framedAddress         the address the server assigns, or 0 for none (the pool picks)
 * @param framedPool            the local pool the server names, or null for the group's
 * @param sessionTimeoutSeconds the longest phase 1 may live after the login, or 0 for no bound
 */
public record UserAuthorization(int framedAddress, String framedPool, long sessionTimeoutSeconds) {
    /** A login that said nothing more (local users, or a reply without these attributes). */
    public static final UserAuthorization NONE = new UserAuthorization(0, null, 0);

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
