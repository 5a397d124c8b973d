package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.util.List;

/**
 * What Mode Config carries to a VPN client: the hub builds one from the client's group and pool, the client
 * receives one and reports it in {@link IkeEffect.ClientConfigured}. Addresses are {@link Ipv4} ints; 0 and empty
 * lists mean "not sent".
 *
 * @param netmask             INTERNAL_IP4_NETMASK, 0 when not sent
 * @param addressExpirySeconds INTERNAL_ADDRESS_EXPIRY, 0 when not sent
 * @param splitNetworks       Unity split include (traffic for these networks goes into the tunnel; empty: all)
 * @param pfs                 Unity PFS: Quick Mode must use PFS (with the phase-1 DH group)
 */
public record ClientConfig(int address, int netmask, List<Integer> dns, List<Integer> wins, String domain,
        List<TrafficSelector> splitNetworks, List<String> splitDns, String banner, boolean savePassword,
        boolean includeLocalLan, boolean pfs, List<String> backupServers, long addressExpirySeconds,
        String applicationVersion) {

    public ClientConfig {
        dns = List.copyOf(dns);
        wins = List.copyOf(wins);
        splitNetworks = List.copyOf(splitNetworks);
        splitDns = List.copyOf(splitDns);
        backupServers = List.copyOf(backupServers);
    }

    public static final ClientConfig EMPTY = new ClientConfig(0, 0, List.of(), List.of(), null, List.of(), List.of(),
            null, false, false, false, List.of(), 0, null);

    /** This configuration with other DNS names (a client keeps only those it accepts). */
    public ClientConfig withDnsNames(String domain, List<String> splitDns) {
        return new ClientConfig(address, netmask, dns, wins, domain, splitNetworks, splitDns, banner, savePassword,
                includeLocalLan, pfs, backupServers, addressExpirySeconds, applicationVersion);
    }

    /** A one-screen summary like the Cisco client's statistics window, the hub's strings escaped. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("address ").append(address == 0 ? "-" : Ipv4.format(address));
        if (netmask != 0) {
            sb.append(" netmask ").append(Ipv4.format(netmask));
        }
        if (!dns.isEmpty()) {
            sb.append(", DNS ").append(String.join(" ", dns.stream().map(Ipv4::format).toList()));
        }
        if (!wins.isEmpty()) {
            sb.append(", WINS ").append(String.join(" ", wins.stream().map(Ipv4::format).toList()));
        }
        if (domain != null) {
            sb.append(", domain ").append(Printable.of(domain));
        }
        if (!splitNetworks.isEmpty()) {
            sb.append(", split networks ").append(String.join(" ", splitNetworks.stream()
                    .map(s -> Ipv4.format(s.address()) + "/" + Ipv4.prefixLength(s.mask())).toList()));
        }
        if (!splitDns.isEmpty()) {
            sb.append(", split DNS ").append(Printable.of(String.join(" ", splitDns)));
        }
        if (banner != null) {
            sb.append(", banner \"").append(Printable.of(banner)).append('"');
        }
        return sb.toString();
    }

    /** The hub chose these strings: never printed as they came (see {@link #describe()}). */
    @Override
    public String toString() {
        return "ClientConfig[" + describe() + "]";
    }
}
