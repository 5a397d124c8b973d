package dev.vpnrouter.policy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code crypto isakmp client configuration group} with its references resolved: the group key (Aggressive
 * Mode), the Mode Config attributes, the address pool and the split-tunnel networks compiled from its ACL (the
 * source networks of its permit lines: the networks behind this router).
 */
public record ClientGroupPolicy(String name, Optional<String> key, List<Integer> dns, List<Integer> wins,
                                Optional<String> domain, Optional<IpPool> pool, List<Subnet> splitNetworks,
                                List<String> splitDns, Optional<String> banner, boolean savePassword,
                                boolean includeLocalLan, boolean pfs, List<String> backupGateways,
                                OptionalInt maxUsers, OptionalInt maxLogins, OptionalInt netmask) {
    public ClientGroupPolicy {
        dns = List.copyOf(dns);
        wins = List.copyOf(wins);
        splitNetworks = List.copyOf(splitNetworks);
        splitDns = List.copyOf(splitDns);
        backupGateways = List.copyOf(backupGateways);
    }
}
