package dev.vpnrouter.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ISAKMP profiles by the identity a peer presents. An exact statement (group, host, user) wins over a domain
 * suffix; for addresses the longest matching prefix wins ({@code match identity address 0.0.0.0} is the wildcard,
 * length 0). When two profiles match the same identity, the one defined first is used. No lookup scans the
 * profiles: groups, hosts and users are hash lookups, addresses a prefix table, domains one probe per label.
 */
public final class ProfileTable {
    private final Map<String, ProfilePolicy> byName = new LinkedHashMap<>();
    private final Map<String, ProfilePolicy> groups = new HashMap<>();
    private final Map<String, ProfilePolicy> hosts = new HashMap<>();
    private final Map<String, ProfilePolicy> hostDomains = new HashMap<>();
    private final Map<String, ProfilePolicy> users = new HashMap<>();
    private final Map<String, ProfilePolicy> userDomains = new HashMap<>();
    private final PrefixTable<ProfilePolicy> addresses = new PrefixTable<>();

    ProfileTable() {
    }

    void add(ProfilePolicy p) {
        byName.put(p.name(), p);
    }

    void matchGroup(String group, ProfilePolicy p) {
        groups.putIfAbsent(group, p);
    }

    void matchHost(String host, ProfilePolicy p) {
        hosts.putIfAbsent(lower(host), p);
    }

    void matchHostDomain(String domain, ProfilePolicy p) {
        hostDomains.putIfAbsent(lower(strip(domain)), p);
    }

    void matchUser(String user, ProfilePolicy p) {
        users.putIfAbsent(lower(user), p);
    }

    void matchUserDomain(String domain, ProfilePolicy p) {
        userDomains.putIfAbsent(lower(strip(domain)), p);
    }

    void matchAddress(Subnet subnet, ProfilePolicy p) {
        addresses.putIfAbsent(subnet.address(), subnet.prefixLength(), p);
    }

    public Optional<ProfilePolicy> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<ProfilePolicy> all() {
        return new ArrayList<>(byName.values());
    }

    /** The profile for the identity a peer presented. */
    public Optional<ProfilePolicy> match(PeerIdentity id) {
        return Optional.ofNullable(switch (id) {
            case PeerIdentity.Address a -> addresses.longestMatch(a.address());
            case PeerIdentity.KeyId k -> groups.get(k.name());
            case PeerIdentity.Fqdn f -> {
                ProfilePolicy p = hosts.get(lower(f.name()));
                yield p != null ? p : bySuffix(hostDomains, lower(f.name()));
            }
            case PeerIdentity.UserFqdn u -> {
                ProfilePolicy p = users.get(lower(u.name()));
                int at = u.name().indexOf('@');
                yield p != null ? p : bySuffix(userDomains, lower(u.name().substring(at + 1)));
            }
        });
    }

    /** The longest domain suffix of {@code name} (at label boundaries) that a profile matches. */
    private static ProfilePolicy bySuffix(Map<String, ProfilePolicy> domains, String name) {
        if (domains.isEmpty()) {
            return null;
        }
        for (String rest = name; ; ) {
            ProfilePolicy p = domains.get(rest);
            if (p != null) {
                return p;
            }
            int dot = rest.indexOf('.');
            if (dot < 0) {
                return null;
            }
            rest = rest.substring(dot + 1);
        }
    }

    private static String strip(String domain) {
        return domain.startsWith(".") ? domain.substring(1) : domain;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
