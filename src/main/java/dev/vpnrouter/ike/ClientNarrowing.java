package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.util.List;

/**
 * Quick Mode proxies of a VPN client that Mode Config gave an address: its side must be that address, and ours
 * is narrowed to the group's split networks ({@code acl}). vpnc proposes 0.0.0.0/0 and takes the narrower answer
 * (as it did from strongSwan in the seed capture); the Cisco client proposes each split network itself. Without a
 * split ACL the hub answers 0.0.0.0/0, as the seed's IOS does. LAN-to-LAN peers are left to the crypto map.
 */
final class ClientNarrowing {
    private ClientNarrowing() {
    }

    /** Narrows {@code qm.local} in place; returns why the proposal is refused, or null. */
    static String apply(IkeEngine engine, IkeSa sa, QuickModeExchange qm) {
        RemoteAccessSession ra = sa.ra;
        if (ra == null || ra.address == 0) {
            return null;
        }
        TrafficSelector assigned = TrafficSelector.host(ra.address);
        if (!qm.remote.within(assigned)) {
            return "phase 2: client " + Ipv4.format(sa.peerAddress) + " proposes " + qm.remote.ios()
                    + " for itself, but Mode Config assigned it " + Ipv4.format(ra.address) + " (proxy identities)";
        }
        ClientGroup group = ra.group == null ? null : engine.policy.clientGroup(ra.group);
        List<TrafficSelector> split = group == null ? List.of() : group.splitNetworks();
        if (split.isEmpty()) {
            return null;
        }
        for (TrafficSelector net : split) {
            if (qm.local.within(net)) {
                return null; // the client asked for (part of) a split network itself
            }
        }
        for (TrafficSelector net : split) {
            if (net.within(qm.local)) {
                engine.debug(DebugCategory.IPSEC, "IPSEC(validate_proposal_request): narrowing local_proxy "
                        + qm.local.ios() + " to " + net.ios() + " (split ACL " + group.splitAcl() + " of group "
                        + group.name() + ")");
                qm.local = net;
                return null;
            }
        }
        return "phase 2: client " + Ipv4.format(sa.peerAddress) + " proposes " + qm.local.ios()
                + ", outside the split networks of group " + group.name() + " (proxy identities)";
    }
}
