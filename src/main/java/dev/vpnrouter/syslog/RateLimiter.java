package dev.vpnrouter.syslog;

/**
 * Keeps a per-packet event from becoming a message per packet, as IOS limits %CRYPTO-4-RECVD_PKT_INV_SPI and
 * %CRYPTO-4-PKT_REPLAY_ERR to one a minute: one message per key (an SPI, a connection, a peer) per interval, and
 * at most {@code budget} in one interval over all keys, so a flood of ever new SPIs stays quiet too. Sans-IO (time
 * comes in), a fixed table and no allocation per call: it runs on the data plane's per-packet path. A key that
 * lands on a slot another key holds takes it over (the budget still bounds what that lets through).
 */
public final class RateLimiter {
    private static final int SLOTS = 256;

    private final long intervalMillis;
    private final int budget;
    private final long[] keys = new long[SLOTS];
    private final long[] lastMillis = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private long windowStartMillis = Long.MIN_VALUE;
    private int spentInWindow;
    private long suppressed;

    public RateLimiter(long intervalMillis, int budget) {
        this.intervalMillis = intervalMillis;
        this.budget = budget;
    }

    /** True when a message for {@code key} may go out at {@code nowMillis}; false counts one suppressed. */
    public boolean allow(long key, long nowMillis) {
        if (windowStartMillis == Long.MIN_VALUE || nowMillis - windowStartMillis >= intervalMillis) {
            windowStartMillis = nowMillis;
            spentInWindow = 0;
        }
        int slot = (int) ((key ^ (key >>> 29) ^ (key >>> 47)) * 0x9E3779B97F4A7C15L >>> 56) & (SLOTS - 1);
        boolean recent = used[slot] && keys[slot] == key && nowMillis - lastMillis[slot] < intervalMillis;
        if (recent || spentInWindow >= budget) {
            suppressed++;
            return false;
        }
        used[slot] = true;
        keys[slot] = key;
        lastMillis[slot] = nowMillis;
        spentInWindow++;
        return true;
    }

    /** Events that got no message. */
    public long suppressed() {
        return suppressed;
    }
}
