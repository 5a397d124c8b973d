package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/**
 * A whole IOS configuration as the text says it (what {@code show running-config} prints), immutable. Lists keep
 * the order IOS would print: named blocks in order of first appearance, numbered ones (ISAKMP policies, map
 * entries) by number. Line numbers live in the parse result's {@code SourceMap}, not here, so that a configuration
 * and its written-out text compare equal.
 */
public record RouterConfig(Optional<String> hostname, boolean passwordEncryption,
                           Optional<Password> enableSecret, Optional<Password> enablePassword,
                           List<LocalUser> users, Aaa aaa, Radius radius,
                           List<Keyring> keyrings, List<IsakmpPolicy> isakmpPolicies,
                           List<PreSharedKey> isakmpKeys, IsakmpGlobals isakmp,
                           List<ClientGroup> clientGroups, List<IsakmpProfile> isakmpProfiles,
                           List<TransformSet> transformSets, IpsecGlobals ipsec,
                           List<DynamicMap> dynamicMaps, List<CryptoMap> cryptoMaps,
                           List<Interface> interfaces, List<IpLocalPool> localPools,
                           List<AccessList> accessLists, List<StaticRoute> routes,
                           List<LineBlock> lines, java.util.Optional<LoginBlock> loginBlock,
                           Logging logging, List<PassiveLine> passive) {
    public RouterConfig {
        users = List.copyOf(users);
        keyrings = List.copyOf(keyrings);
        isakmpPolicies = List.copyOf(isakmpPolicies);
        isakmpKeys = List.copyOf(isakmpKeys);
        clientGroups = List.copyOf(clientGroups);
        isakmpProfiles = List.copyOf(isakmpProfiles);
        transformSets = List.copyOf(transformSets);
        dynamicMaps = List.copyOf(dynamicMaps);
        cryptoMaps = List.copyOf(cryptoMaps);
        interfaces = List.copyOf(interfaces);
        localPools = List.copyOf(localPools);
        accessLists = List.copyOf(accessLists);
        routes = List.copyOf(routes);
        lines = List.copyOf(lines);
        passive = List.copyOf(passive);
    }

    public Optional<LocalUser> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<Keyring> keyring(String name) {
        return keyrings.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    public Optional<ClientGroup> clientGroup(String name) {
        return clientGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public Optional<IsakmpProfile> isakmpProfile(String name) {
        return isakmpProfiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<TransformSet> transformSet(String name) {
        return transformSets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<DynamicMap> dynamicMap(String name) {
        return dynamicMaps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<CryptoMap> cryptoMap(String name) {
        return cryptoMaps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<Interface> iface(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<AccessList> accessList(String name) {
        return accessLists.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
