package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.IpsecGlobals;
import dev.vpnrouter.config.model.IsakmpGlobals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime view of a configuration, what the IKE engine asks: phase-1 proposals, keys by peer, profiles by
 * identity, client groups, transform sets, crypto maps, pools, AAA and local users. Built by
 * {@link PolicyCompiler}; immutable (pool allocation state lives in {@link PoolAllocator}s the engine creates).
 */
public record RouterPolicy(List<IkeProposal> ikeProposals, PskTable keys, ProfileTable profiles,
                           Map<String, ClientGroupPolicy> clientGroups, Map<String, TransformProposal> transformSets,
                           Map<String, CryptoMapPolicy> cryptoMaps, Map<String, IpPool> pools, AaaPolicy aaa,
                           LocalUsers users, IsakmpGlobals isakmp, IpsecGlobals ipsec,
                           List<InterfacePolicy> interfaces) {
    public RouterPolicy {
        ikeProposals = List.copyOf(ikeProposals);
        clientGroups = Map.copyOf(clientGroups);
        transformSets = Map.copyOf(transformSets);
        cryptoMaps = Map.copyOf(cryptoMaps);
        pools = Map.copyOf(pools);
        interfaces = List.copyOf(interfaces);
    }

    public Optional<ClientGroupPolicy> clientGroup(String name) {
        return Optional.ofNullable(clientGroups.get(name));
    }

    public Optional<TransformProposal> transformSet(String name) {
        return Optional.ofNullable(transformSets.get(name));
    }

    public Optional<CryptoMapPolicy> cryptoMap(String name) {
        return Optional.ofNullable(cryptoMaps.get(name));
    }

    /** The {@code ip local pool} names. */
    public java.util.List<String> poolNames() {
        return pools.keySet().stream().sorted().toList();
    }

    public Optional<IpPool> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public Optional<InterfacePolicy> iface(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The crypto map applied to {@code interfaceName}, if any. */
    public Optional<CryptoMapPolicy> cryptoMapOn(String interfaceName) {
        return iface(interfaceName).flatMap(InterfacePolicy::cryptoMap);
    }
}
