package dev.vpnrouter.ike;

/**
 * Why an ISAKMP SA goes, which decides what happens to its IPsec SAs: when the peer is gone (dead, deleted by
 * the operator, logged out, renumbered under us) they go with it; otherwise they pass to the SA that renews it,
 * or live on until they expire, as IOS does. Control flow reads this, never the log text.
 */
enum RemovalCause {
    PEER_DELETED("peer deleted the ISAKMP SA", true),
    DPD("DPD: peer not responding", true),
    CLEARED("cleared by operator", true),
    LOCAL_ADDRESS_CHANGED("local address changed", true),
    INITIAL_CONTACT("INITIAL-CONTACT from peer", true),
    XAUTH_FAILED("Xauth failed", true),
    LIFETIME_EXPIRED("lifetime expired", false),
    RENEWAL_TIMEOUT("phase 1 renewal did not complete in time", false),
    RENEWED_WITH_NEW_ADDRESS("renewed with a new address", false),
    HALF_OPEN_LIMIT("half-open limit", false),
    HALF_OPEN_LIMIT_PER_PEER("half-open limit per peer", false),
    /** A negotiation refused (by either side, or a client after phase 1: Mode Config, limits): the reason says which. */
    REFUSED("refused", false),
    /** Phase 1 got no answer in time (retransmissions spent, or the half-open timeout). */
    NO_ANSWER("no answer from peer", false);

    private final String text;
    private final boolean peerGone;

    RemovalCause(String text, boolean peerGone) {
        this.text = text;
        this.peerGone = peerGone;
    }

    /** The reason as the debug line and {@link IkeEffect.IkeDown} give it. */
    String text() {
        return text;
    }

    /** Why a refused negotiation's SA goes: no answer in time, or a refusal. */
    static RemovalCause ofRefusal(NegotiationFailure why) {
        return why == NegotiationFailure.TIMEOUT ? NO_ANSWER : REFUSED;
    }

    /**
     * The peer cannot be reached (DPD found it dead, or phase 1 went unanswered): what makes a VPN client try its
     * next gateway ({@link ClientFailover}) and a crypto map entry its next {@code set peer} ({@link EntryPeers}).
     * A refusal is not: the peer answered.
     */
    boolean peerUnreachable() {
        return this == DPD || this == NO_ANSWER;
    }

    /** The peer is gone, so the SA's IPsec SAs go too (unless a renewal's peer only retires the old SA). */
    boolean peerGone() {
        return peerGone;
    }
}
