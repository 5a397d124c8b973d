package dev.vpnrouter.dataplane;

import dev.vpnrouter.ike.cfg.ChildPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * The SAs of one selector pair, oldest first. The newest one that can still seal carries outbound traffic, so a
 * rekeyed SA takes over at once while its predecessor keeps opening what is in flight until it is deleted.
 */
final class Flow {
    final ChildPolicy.SelectorPair pair;
    final ChildPolicy policy;
    /** The entry's place in the crypto map: the first matching entry's SA carries a packet, never the newest. */
    int order;
    final List<InstalledSa> sas = new ArrayList<>(2);
    /** Counters of SAs already deleted, so the flow's totals survive rekeys. */
    SaCounters retired = SaCounters.ZERO;

    Flow(ChildPolicy.SelectorPair pair, ChildPolicy policy, int order) {
        this.pair = pair;
        this.policy = policy;
        this.order = order;
    }

    /** The SA that seals: the newest one not expired outbound; null when none. */
    InstalledSa sealing() {
        for (int i = sas.size() - 1; i >= 0; i--) {
            InstalledSa sa = sas.get(i);
            if (!sa.outboundExpired) {
                return sa;
            }
        }
        return null;
    }

    boolean matches(int source, int destination, int protocol, int sourcePort, int destinationPort) {
        return pair.local().matchesPacket(source, protocol, sourcePort)
                && pair.remote().matchesPacket(destination, protocol, destinationPort);
    }

    /** The filter of crypto map lookups: SAs of this static entry, or (null) SAs of dynamic entries or none. */
    boolean belongsTo(ChildPolicy staticEntry) {
        return staticEntry == null ? policy == null || policy.dynamic()
                : policy != null && !policy.dynamic() && policy.equals(staticEntry);
    }

    FlowStatus status() {
        SaCounters total = retired;
        List<SaStatus> list = new ArrayList<>(sas.size());
        InstalledSa current = sealing();
        for (InstalledSa sa : sas) {
            SaStatus s = sa.status(sa == current);
            list.add(s);
            total = total.plus(s.counters());
        }
        int peer = sas.isEmpty() ? 0 : sas.getLast().peerAddress;
        return new FlowStatus(pair.local(), pair.remote(), policy, peer, total, list);
    }
}
