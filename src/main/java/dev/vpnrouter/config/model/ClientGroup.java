package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code crypto isakmp client configuration group NAME}: the group key and the Mode Config attributes handed to
 * Cisco VPN clients. Addresses are IPv4 ints; {@code netmask} is the mask pushed with the assigned address.
 */
public record ClientGroup(String name, Optional<String> key, List<Integer> dns, List<Integer> wins,
                          Optional<String> domain, Optional<String> pool, Optional<String> acl,
                          List<String> splitDns, Optional<String> banner, boolean savePassword,
                          boolean includeLocalLan, boolean pfs, List<String> backupGateways,
                          OptionalInt maxUsers, OptionalInt maxLogins, OptionalInt netmask) {
    public ClientGroup {
        dns = List.copyOf(dns);
        wins = List.copyOf(wins);
        splitDns = List.copyOf(splitDns);
        backupGateways = List.copyOf(backupGateways);
    }

    @Override
    public String toString() {
        return "ClientGroup[" + name + (key.isPresent() ? " key ***" : "") + pool.map(p -> " pool " + p).orElse("")
                + "]";
    }
}
