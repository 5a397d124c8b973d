package dev.vpnrouter.dataplane;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.CryptoMapDecision;

import java.util.ArrayDeque;

/**
 * One permit line of a static crypto map entry's ACL, with the packets waiting for its SA and when IKE was last
 * asked for it.
 */
final class AclLine {
    record Pending(byte[] packet, long queuedAtMillis) {
    }

    final ChildPolicy entry;
    final ChildPolicy.SelectorPair pair;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    long lastAcquireMillis = Long.MIN_VALUE;

    AclLine(ChildPolicy entry, ChildPolicy.SelectorPair pair) {
        this.entry = entry;
        this.pair = pair;
    }

    /** True when an SA with these selectors could carry this line's packets. */
    boolean overlaps(ChildPolicy.SelectorPair sa) {
        return CryptoMapDecision.overlaps(pair.local(), sa.local()) && CryptoMapDecision.overlaps(pair.remote(),
                sa.remote());
    }
}
