package dev.vpnrouter.esp;

/**
 * Volume limits of one SA direction, counted in inner (cleartext) packet bytes and packets.
 * Reaching a soft limit asks for a rekey; reaching a hard limit stops the SA (IOS "lifetime
 * kilobytes"; time limits belong to the IKE engine, which owns the clock).
 */
public record EspLifetime(long softBytes, long hardBytes, long softPackets, long hardPackets) {

    public static final EspLifetime UNLIMITED = new EspLifetime(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
            Long.MAX_VALUE);

    public EspLifetime {
        if (softBytes <= 0 || hardBytes <= 0 || softPackets <= 0 || hardPackets <= 0) {
            throw new IllegalArgumentException("lifetime limits must be positive");
        }
        if (softBytes > hardBytes || softPackets > hardPackets) {
            throw new IllegalArgumentException("soft limits must not exceed hard limits");
        }
    }

    /** Kilobyte limits as IOS configures them (1 KB = 1024 bytes), no packet limit. */
    public static EspLifetime ofKilobytes(long softKilobytes, long hardKilobytes) {
        return new EspLifetime(Math.multiplyExact(softKilobytes, 1024L), Math.multiplyExact(hardKilobytes, 1024L),
                Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * Where an SA with these totals stands: EXPIRED at a hard limit or when its sequence space is spent,
     * REKEY_NEEDED at a soft limit or near the sequence wrap, ACTIVE otherwise. One rule for both directions.
     */
    public EspLifetimeState state(long bytes, long packets, boolean sequenceSpent, boolean nearSequenceWrap) {
        if (sequenceSpent || bytes >= hardBytes || packets >= hardPackets) {
            return EspLifetimeState.EXPIRED;
        }
        if (nearSequenceWrap || bytes >= softBytes || packets >= softPackets) {
            return EspLifetimeState.REKEY_NEEDED;
        }
        return EspLifetimeState.ACTIVE;
    }
}
