package dev.vpnrouter.esp;

/**
 * Why an inbound packet was dropped. Each reason names the counter that IOS prints for it in
 * {@code show crypto ipsec sa detail}; every drop also counts in {@code #recv errors}.
 */
public enum EspDropReason {
    /** Shorter than header + IV + minimal payload + ICV. */
    TRUNCATED("#pkts invalid len (rcv)"),
    /** CBC payload that is not a whole number of cipher blocks. */
    BAD_LENGTH("#pkts invalid len (rcv)"),
    /** The packet's SPI is not this SA's. */
    WRONG_SPI("#pkts invalid sa (rcv)"),
    /** The SA reached its hard lifetime. */
    SA_EXPIRED("#pkts invalid sa (rcv)"),
    /** Sequence number already seen, older than the window, or zero. */
    REPLAY("#pkts replay failed (rcv)"),
    /** ICV mismatch (HMAC or GCM tag). */
    AUTH_FAILED("#pkts verify failed"),
    /** Padding bytes are not 1, 2, 3, ... or the pad length exceeds the payload. */
    BAD_PADDING("#pkts decaps failed (rcv)"),
    /** Next header is not IPv4 (4) or IPv6 (41): tunnel mode carries only IP. */
    BAD_NEXT_HEADER("#pkts invalid prot (recv)"),
    /** A dummy packet (next header 59, RFC 4303 2.6): discarded without error by design. */
    DUMMY_PACKET("#pkts decaps failed (rcv)"),
    /** Inner addresses outside the SA's proxy identities (counted by the data plane). */
    INVALID_IDENTITY("#pkts invalid identity (recv)"),
    /** Bad offsets or an output buffer too small: a caller bug, never the peer's. */
    BAD_BUFFER("#pkts internal err (recv)"),
    /** The crypto provider failed unexpectedly. */
    INTERNAL_ERROR("#pkts internal err (recv)");

    private static final EspDropReason[] VALUES = values();

    private final String iosCounter;

    EspDropReason(String iosCounter) {
        this.iosCounter = iosCounter;
    }

    /** The IOS counter this reason is counted under. */
    public String iosCounter() {
        return iosCounter;
    }

    /** The negative value {@code open} returns for this reason. */
    public int code() {
        return -1 - ordinal();
    }

    /** The reason behind a negative {@code open} result. */
    public static EspDropReason fromCode(int code) {
        if (code >= 0 || -1 - code >= VALUES.length) {
            throw new IllegalArgumentException("not a drop code: " + code);
        }
        return VALUES[-1 - code];
    }
}
