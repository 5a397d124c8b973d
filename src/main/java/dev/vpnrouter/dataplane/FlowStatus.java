package dev.vpnrouter.dataplane;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.util.List;

/**
 * One "local ident / remote ident" block of {@code show crypto ipsec sa}: a selector pair, its counters summed
 * over every SA it has had since the first came up (IOS keeps counting across rekeys), and its live SAs, oldest
 * first. It disappears when its last SA goes.
 */
public record FlowStatus(TrafficSelector local, TrafficSelector remote, ChildPolicy policy, int peerAddress,
        SaCounters counters, List<SaStatus> sas) {
    public FlowStatus {
        sas = List.copyOf(sas);
    }
}
