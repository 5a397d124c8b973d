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
 * Backup servers are used as addresses; a name in the hub's list is skipped with a debug line (the engine resolves
 * nothing: it has no I/O).
 */
final class ClientFailover {
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
    VpnClientProfile currentProfile() {
        return profile.withHub(current);
    }

    int current() {
        return current;
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
            try {
                servers.add(Ipv4.parse(server.strip()));
            } catch (IllegalArgumentException e) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": backup server \""
                        + dev.vpnrouter.common.Printable.of(server) + "\" from " + Ipv4.format(sa.peerAddress)
                        + " is not an address: skipped");
            }
        }
        fromHub = List.copyOf(servers);
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
