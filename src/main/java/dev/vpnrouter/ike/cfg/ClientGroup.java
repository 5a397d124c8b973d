package dev.vpnrouter.ike.cfg;

import java.util.List;

/**
 * A remote-access group ({@code crypto isakmp client configuration group NAME}) as the engine uses it: the group
 * key that authenticates Aggressive Mode, and what Mode Config hands to its clients.
 *
 * @param key            {@code key}: the group's pre-shared key
 * @param dns            {@code dns A [B]}
 * @param wins           {@code wins A [B]}
 * @param domain         {@code domain NAME}, null when not set
 * @param pool           {@code pool NAME} ({@code ip local pool}), null when not set
 * @param netmask        {@code netmask M}, 0 when not set (then no netmask is sent)
 * @param splitAcl       {@code acl NAME}, null when not set
 * @param splitNetworks  the permit entries of {@code acl} compiled to networks (sent as Unity split include)
 * @param splitDns       {@code split-dns NAME...}
 * @param banner         {@code banner}, null when not set
 * @param savePassword   {@code save-password}
 * @param includeLocalLan {@code include-local-lan}
 * @param pfs            {@code pfs}: clients must use PFS in Quick Mode
 * @param backupGateways {@code backup-gateway ...}
 * @param maxUsers       {@code max-users N}, 0 for no limit
 * @param maxLogins      {@code max-logins N} (per user), 0 for no limit
 */
public record ClientGroup(String name, byte[] key, List<Integer> dns, List<Integer> wins, String domain, String pool,
        int netmask, String splitAcl, List<TrafficSelector> splitNetworks, List<String> splitDns, String banner,
        boolean savePassword, boolean includeLocalLan, boolean pfs, List<String> backupGateways, int maxUsers,
        int maxLogins) {

    public ClientGroup {
        key = key == null ? null : key.clone();
        dns = List.copyOf(dns);
        wins = List.copyOf(wins);
        splitNetworks = List.copyOf(splitNetworks);
        splitDns = List.copyOf(splitDns);
        backupGateways = List.copyOf(backupGateways);
    }

    /** A group with only a key, DNS/WINS, domain and pool: the seed's {@code testgroup} shape. */
    public static ClientGroup basic(String name, byte[] key, List<Integer> dns, List<Integer> wins, String domain,
            String pool) {
        return new ClientGroup(name, key, dns, wins, domain, pool, 0, null, List.of(), List.of(), null, false, false,
                false, List.of(), 0, 0);
    }

    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public String toString() {
        return "ClientGroup[" + name + ", pool " + pool + "]"; // never print the key
    }
}
