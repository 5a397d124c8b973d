package dev.vpnrouter.esp;

/**
 * One direction of an ESP security association. Each instance is used by one thread at a time
 * (it keeps cipher state); {@link #counters()} and {@link #lifetimeState()} may be read from
 * another thread and then show values that are at most slightly stale.
 */
public sealed interface EspSa permits EspOutboundSa, EspInboundSa {

    /** Sequence numbers left before a non-ESN SA asks for a rekey (about a minute at line rate). */
    long SEQUENCE_SOFT_MARGIN = 1L << 24;

    int spi();

    EspTransform transform();

    /** Extended (64-bit) Sequence Numbers, RFC 4304. */
    boolean esn();

    EspLifetime lifetime();

    EspLifetimeState lifetimeState();

    /** True once the SA should be replaced: {@link EspLifetimeState#REKEY_NEEDED} or worse. */
    default boolean rekeyNeeded() {
        return lifetimeState() != EspLifetimeState.ACTIVE;
    }

    EspCounters counters();
}
