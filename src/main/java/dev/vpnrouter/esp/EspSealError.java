package dev.vpnrouter.esp;

/** Why an outbound SA refused to seal a packet; every refusal counts in {@code #send errors}. */
public enum EspSealError {
    /** The sequence number would wrap (RFC 4303 3.3.3): a new SA is needed. */
    SEQUENCE_EXHAUSTED("#pkts replay rollover (send)"),
    /** The SA reached its hard lifetime. */
    SA_EXPIRED("#pkts encaps failed (send)"),
    /** The inner packet is empty or not IPv4/IPv6 and no next header was given. */
    BAD_INNER_PACKET("#pkts invalid ip version (send)"),
    /** Bad offsets, overlapping buffers or an output buffer too small: a caller bug. */
    BAD_BUFFER("#pkts internal err (send)"),
    /** The crypto provider failed unexpectedly. */
    INTERNAL_ERROR("#pkts internal err (send)");

    private static final EspSealError[] VALUES = values();

    private final String iosCounter;

    EspSealError(String iosCounter) {
        this.iosCounter = iosCounter;
    }

    public String iosCounter() {
        return iosCounter;
    }

    /** The negative value {@code seal} returns for this error. */
    public int code() {
        return -1 - ordinal();
    }

    public static EspSealError fromCode(int code) {
        if (code >= 0 || -1 - code >= VALUES.length) {
            throw new IllegalArgumentException("not a seal error code: " + code);
        }
        return VALUES[-1 - code];
    }
}
