package dev.vpnrouter.ike;

/**
 * How many new Aggressive Mode negotiations the hub takes: Main Mode can wait for a peer to prove its address,
 * Aggressive Mode cannot (AM2 carries our DH value and authentication at once, two modular exponentiations for
 * every AM1, spoofed or not). Token buckets, sans-IO: per source {@value #PER_SOURCE_PER_SECOND} a second with a
 * burst of {@value #PER_SOURCE_BURST}, and {@value #TOTAL_PER_SECOND} a second over all sources with a burst of
 * {@value #TOTAL_BURST}. A VPN client sends one AM1 (its retransmissions belong to the SA already made): the burst
 * lets a site's clients behind one NAT come back together after a restart, and the rates bound what a flood costs. Sources are kept in a fixed table (a source
 * that lands on another's slot takes it over, with a full bucket: the total still bounds a flood of ever new
 * sources).
 */
final class AggressiveModeAdmission {
    static final int PER_SOURCE_PER_SECOND = 10;
    static final int PER_SOURCE_BURST = 50;
    static final int TOTAL_PER_SECOND = 1000;
    static final int TOTAL_BURST = 2000;
    private static final int SLOTS = 4096;

    // Made at the first AM1: most engines (spokes, Main Mode hubs) never take one.
    private int[] sources;
    private boolean[] used;
    /** Tokens in thousandths, and when each bucket was last filled. */
    private long[] tokens;
    private long[] filledAt;
    private long totalTokens = TOTAL_BURST * 1000L;
    private long totalFilledAt = Long.MIN_VALUE;

    /** True when an AM1 from {@code source} may start a negotiation at {@code now}. */
    boolean admit(int source, long now) {
        if (sources == null) {
            sources = new int[SLOTS];
            used = new boolean[SLOTS];
            tokens = new long[SLOTS];
            filledAt = new long[SLOTS];
        }
        totalTokens = fill(totalTokens, totalFilledAt, now, TOTAL_PER_SECOND, TOTAL_BURST);
        totalFilledAt = now;
        int slot = (source * 0x9E3779B9 >>> 20) & (SLOTS - 1);
        if (!used[slot] || sources[slot] != source) {
            used[slot] = true;
            sources[slot] = source;
            tokens[slot] = PER_SOURCE_BURST * 1000L;
        } else {
            tokens[slot] = fill(tokens[slot], filledAt[slot], now, PER_SOURCE_PER_SECOND, PER_SOURCE_BURST);
        }
        filledAt[slot] = now;
        if (tokens[slot] < 1000 || totalTokens < 1000) {
            return false;
        }
        tokens[slot] -= 1000;
        totalTokens -= 1000;
        return true;
    }

    private static long fill(long tokens, long since, long now, int perSecond, int burst) {
        if (since == Long.MIN_VALUE || now <= since) {
            return since == Long.MIN_VALUE ? burst * 1000L : tokens;
        }
        return Math.min(burst * 1000L, tokens + (now - since) * perSecond);
    }
}
