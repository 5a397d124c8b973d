package dev.vpnrouter.router;

/**
 * Which first messages (zero responder cookie: MM1, AM1, or anything a forged source sends) an IKE port's reader
 * thread queues for the loop, decided per source address before the datagram is copied, so a flood from a few
 * thousand addresses costs the reader a table lookup per datagram and the loop nothing past each source's budget.
 *
 * <p>Each source may send {@value #PER_SOURCE_PER_SECOND} a second with a burst of {@value #PER_SOURCE_BURST}
 * (the generic cell rate algorithm: one "theoretical arrival time" per source). A peer sends one first message and
 * its few retransmissions; the burst lets a site's VPN clients behind one NAT come back together after a restart.
 * A source the table does not hold (never seen, or pushed out) always gets in: sources are kept in a fixed table,
 * {@value #PROBE} slots tried from a hash of the address, a newcomer taking an empty slot or the one whose budget
 * is fullest (least recently busy). A flood of ever new addresses therefore passes here and is bounded by the
 * first-message queue behind it and answered statelessly by the engine; this bounds a flood from a set of
 * addresses, which is what a spoofing botnet's reflection or a few hosts can send.
 *
 * <p>An admitted message is {@link #FRESH} when its source's budget was whole (a source not held, or quiet for
 * {@value #PER_SOURCE_BURST} intervals): a new peer's MM1 or a retransmission seconds later, never a flooding
 * source's, which the intake serves before the others ({@link IkeIntake}), so a flood from known addresses does not
 * delay a new peer's first message even while the loop is short of CPU.
 *
 * <p>Sans-IO (time comes in, in nanoseconds) and not thread-safe: each reader thread has its own.
 */
final class FirstMessageAdmission {
    static final int PER_SOURCE_PER_SECOND = 10;
    static final int PER_SOURCE_BURST = 50;
    /** Slots (a power of two): 4 times what a flood of 4,000 sources fills. */
    static final int SLOTS = 16_384;
    static final int PROBE = 8;
    private static final long INTERVAL_NANOS = 1_000_000_000L / PER_SOURCE_PER_SECOND;
    /** How far a source's theoretical arrival time may run ahead of now: the burst less the one being admitted. */
    private static final long TOLERANCE_NANOS = (PER_SOURCE_BURST - 1) * INTERVAL_NANOS;

    private final int[] sources = new int[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    /** Per slot: when the source's budget is whole again (GCRA's theoretical arrival time). */
    private final long[] theoretical = new long[SLOTS];
    private long refused;

    /** {@link #admit}'s answers. */
    static final int REFUSED = -1;
    static final int ADMITTED = 0;
    static final int FRESH = 1;

    /**
     * Whether a first message from {@code source} at {@code nowNanos} may be queued: {@link #REFUSED} (drop it;
     * counted), {@link #ADMITTED}, or {@link #FRESH} (admitted, and its source's budget was whole).
     */
    int admit(int source, long nowNanos) {
        int home = (source * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(SLOTS));
        int empty = -1;
        int stalest = -1;
        for (int k = 0; k < PROBE; k++) {
            int slot = (home + k) & (SLOTS - 1);
            if (!used[slot]) {
                if (empty < 0) {
                    empty = slot;
                }
                continue;
            }
            if (sources[slot] == source) {
                boolean whole = theoretical[slot] - nowNanos <= 0;
                long tat = whole ? nowNanos : theoretical[slot];
                if (tat - nowNanos > TOLERANCE_NANOS) {
                    refused++;
                    return REFUSED;
                }
                theoretical[slot] = tat + INTERVAL_NANOS;
                return whole ? FRESH : ADMITTED;
            }
            if (stalest < 0 || theoretical[slot] - theoretical[stalest] < 0) {
                stalest = slot;
            }
        }
        int victim = empty >= 0 ? empty : stalest;
        used[victim] = true;
        sources[victim] = source;
        theoretical[victim] = nowNanos + INTERVAL_NANOS;
        return FRESH;
    }

    /** First messages refused since this table was made. */
    long refused() {
        return refused;
    }
}
