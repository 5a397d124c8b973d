package dev.vpnrouter.policy;

import java.util.List;

/**
 * A remote-access group's policy as an authorization server gives it ({@code isakmp authorization list} over
 * {@code aaa authorization network ... group radius}: Cisco-AVPair {@code ipsec:*} attributes), for a hub that has
 * no local {@code crypto isakmp client configuration group} of that name. Only what arrived well formed is here;
 * names (pool, split-tunnel ACL) are resolved against the configuration by the engine's policy.
 *
 * @param key             {@code ipsec:tunnel-password}, null when absent (the group cannot authenticate then)
 * @param pool            {@code ipsec:addr-pool}, null when absent
 * @param splitAcl        {@code ipsec:split-tunnel-list}, an access list of this router, null when absent
 * @param maxUsers        {@code ipsec:max-users}, 0 for no limit
 * @param maxLogins       {@code ipsec:max-logins}, 0 for no limit
 */
public record GroupAuthorization(String name, String key, List<Integer> dns, List<Integer> wins, String domain,
        String pool, String splitAcl, String banner, boolean includeLocalLan, boolean savePassword,
        List<String> backupGateways, int maxUsers, int maxLogins) {
    public GroupAuthorization {
        dns = List.copyOf(dns);
        wins = List.copyOf(wins);
        backupGateways = List.copyOf(backupGateways);
    }

    @Override
    public String toString() {
        return "GroupAuthorization[" + name + ", pool " + pool + "]"; // never the key
    }
}
