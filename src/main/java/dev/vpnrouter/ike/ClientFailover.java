package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.VpnClientProfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Our VPN client's gateways, as the Cisco VPN Client keeps them, and the one home of the decision which gateway it
 * logs in to. The order: the hub it was told to use first, then the backup servers: the hub's Unity BACKUP_SERVERS
 * from the last Mode Config (the concentrator's list replaces the profile's, as the Cisco client stores it), else
 * the profile's own ({@code .pcf} {@code BackupServer}). When the hub in use cannot be reached (DPD finds it dead,
 * or phase 1 or a login step gets no answer: {@link RemovalCause#peerUnreachable}), the client logs in to the next
 * gateway with the same group and user credentials, wrapping round after the last. Having tried every gateway
 * once since it was last configured it stops; traffic (an acquire) starts a new round at the gateway it stopped on.
 * A refusal (wrong key or password) is no reason to move: the next gateway has the same users. A client with one
 * gateway behaves as before: nothing is tried until traffic asks.
 * <p>
 * Backup servers are used as unicast addresses, the first {@link #MAX_BACKUP_SERVERS} of a hub's list; a name or
 * anything else is skipped with a debug line (the engine resolves nothing: it has no I/O).
 */
final class ClientFailover {
    /**
     * With another gateway to try, the first message to a gateway is resent twice (at 2 and 6 s) and given up at
     * 14 s, as the Cisco client moves on after a few tries, so the backup is reached well within a user's wait
     * ({@code vpnrouter client --timeout}, 30 s); alone, the usual five resends (about a minute).
     */
    static final int FIRST_CONTACT_RESENDS_WITH_BACKUP = 2;
    /** At most this many backup servers are kept from a hub's list (the Cisco client keeps ten). */
    static final int MAX_BACKUP_SERVERS = 10;

    private final VpnClientProfile profile;
    private List<Integer> fromHub = List.of();
    private int current;
    /** Gateways that failed since the client was last configured. */
    private int failures;

    ClientFailover(VpnClientProfile profile) {
        this.profile = profile;
        this.current = profile.hub();
    }

    /** In order, each once: the first hub, then the hub's list if it sent one, else the profile's. */
    List<Integer> gateways() {
        Set<Integer> all = new LinkedHashSet<>();
        all.add(profile.hub());
        all.addAll(fromHub.isEmpty() ? profile.backupServers() : fromHub);
        return List.copyOf(all);
    }

    boolean includes(int gateway) {
        return gateway == profile.hub() || gateways().contains(gateway);
    }

    /** The credentials and offer for the gateway in use. */
    /** The profile this client was made with (its first hub's). */
    VpnClientProfile profile() {
        return profile;
    }

    VpnClientProfile currentProfile() {
        return profile.withHub(current);
    }

    int current() {
        return current;
    }

    /** How often the first message of a login is resent before the gateway counts as unreachable. */
    int firstContactResends() {
        return gateways().size() > 1 ? FIRST_CONTACT_RESENDS_WITH_BACKUP : Retransmission.MAX_RETRANSMITS;
    }

    /** A login starts at {@code gateway} on request (the host's connect, or traffic): a new round of tries. */
    void startAt(int gateway) {
        current = gateway;
        failures = 0;
    }

    /** Mode Config came from the gateway in use: it works, and its backup list is the one to keep. */
    void configured(IkeEngine engine, IkeSa sa, ClientConfig config) {
        failures = 0;
        current = sa.peerAddress;
        List<Integer> servers = new ArrayList<>();
        for (String server : config.backupServers()) {
            int address = unicast(server);
            if (address == 0) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": backup server \""
                        + dev.vpnrouter.common.Printable.of(server) + "\" from " + Ipv4.format(sa.peerAddress)
                        + " is not a unicast address: skipped");
            } else if (servers.size() == MAX_BACKUP_SERVERS) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": " + Ipv4.format(sa.peerAddress)
                        + " lists " + config.backupServers().size() + " backup servers: the first "
                        + MAX_BACKUP_SERVERS + " kept");
                break;
            } else {
                servers.add(address);
            }
        }
        fromHub = List.copyOf(servers);
    }

    /** A dotted-quad unicast address (not 0.0.0.0/8, loopback, multicast or broadcast), else 0. */
    private static int unicast(String text) {
        int address;
        try {
            address = Ipv4.parse(text.strip());
        } catch (IllegalArgumentException e) {
            return 0;
        }
        int first = address >>> 24;
        return first == 0 || first == 127 || first >= 224 ? 0 : address;
    }

    /**
     * {@code sa}, a login of ours to the gateway in use, is gone because the gateway cannot be reached: the next
     * gateway, or 0 when there is none to try (one gateway only, or every one failed in this round).
     */
    int next(int unreachable) {
        List<Integer> gateways = gateways();
        if (gateways.size() < 2 || unreachable != current) {
            return 0;
        }
        failures++;
        if (failures >= gateways.size()) {
            return 0;
        }
        int at = gateways.indexOf(current);
        current = gateways.get((at + 1) % gateways.size());
        return current;
    }
}
