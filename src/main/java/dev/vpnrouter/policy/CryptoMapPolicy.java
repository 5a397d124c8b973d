package dev.vpnrouter.policy;

import java.util.List;

/**
 * A compiled crypto map: its usable entries in IOS order (sequence, then dynamic template). Which entry carries
 * which traffic is decided in one place, {@code ike.cfg.CryptoMapDecision}, over the engine's view of these
 * entries.
 */
public final class CryptoMapPolicy {
    private final String name;
    private final List<MapEntryPolicy> entries;

    CryptoMapPolicy(String name, List<MapEntryPolicy> entries) {
        this.name = name;
        this.entries = List.copyOf(entries);
    }

    public String name() {
        return name;
    }

    /** Every entry, in the order IOS tries them. */
    public List<MapEntryPolicy> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return "crypto map " + name + " (" + entries.size() + " entries)";
    }
}
