package dev.vpnrouter.ike;

import dev.vpnrouter.ike.wire.NotifyType;

/**
 * Why a negotiation was refused, in a small fixed set of classes an operator can alert on (the {@code reason}
 * label of {@code vpnrouter_ike_negotiations_failed_total}). The one-line refusal text says the details; this
 * says which kind of trouble it is. Each refusal names its class where the engine refuses
 * ({@link IkeEngine#refuse}, {@link IkeEngine#effectsRefusal}).
 */
public enum NegotiationFailure {
    /** No transform, DH group or PFS group both sides accept, on our side or the peer's (NO_PROPOSAL_CHOSEN). */
    NO_PROPOSAL_CHOSEN("no_proposal_chosen"),
    /** Phase-1 authentication: no pre-shared key for the peer, or a key mismatch (HASH or decryption fails). */
    AUTHENTICATION("authentication"),
    /** Extended authentication of a VPN client: wrong user or password, a cancelled login, Xauth out of order. */
    XAUTH("xauth"),
    /** The client group's {@code ip local pool} has no free address. */
    POOL_EXHAUSTED("pool_exhausted"),
    /** The peer stopped answering: retransmissions given up, a negotiation or Xauth timed out. */
    TIMEOUT("timeout"),
    /**
     * The configuration does not allow it: no ISAKMP profile for the identity, a key from the wrong keyring, proxy
     * identities the crypto ACL does not permit, Aggressive Mode disabled, group limits, a missing pool.
     */
    POLICY("policy"),
    /** A limit per peer ({@link dev.vpnrouter.ike.cfg.PeerLimits}): too many ISAKMP SAs, Quick Modes or IPsec SAs. */
    PEER_LIMIT("peer_limit"),
    /** The peer sent something unusable: a bad nonce, DH or PFS value, a malformed payload, a reserved SPI. */
    MALFORMED("malformed"),
    /** Anything else. */
    OTHER("other");

    private static final NegotiationFailure[] ALL = values();

    private final String label;

    NegotiationFailure(String label) {
        this.label = label;
    }

    /** The Prometheus label value: lower case, stable. */
    public String label() {
        return label;
    }

    /** Every class, in a fixed order (a shared array: do not modify). */
    static NegotiationFailure[] all() {
        return ALL;
    }

    /** The class of an error notify, ours or the peer's (RFC 2408 3.14.1). */
    public static NegotiationFailure ofNotify(int notifyType) {
        return switch (notifyType) {
            case NotifyType.NO_PROPOSAL_CHOSEN, NotifyType.INVALID_TRANSFORM_ID, NotifyType.ATTRIBUTES_NOT_SUPPORTED,
                 NotifyType.INVALID_PROTOCOL_ID -> NO_PROPOSAL_CHOSEN;
            case NotifyType.INVALID_HASH_INFORMATION, NotifyType.AUTHENTICATION_FAILED, NotifyType.INVALID_SIGNATURE,
                 NotifyType.INVALID_CERTIFICATE, NotifyType.INVALID_CERT_ENCODING, NotifyType.CERT_TYPE_UNSUPPORTED,
                 NotifyType.INVALID_CERT_AUTHORITY, NotifyType.CERTIFICATE_UNAVAILABLE -> AUTHENTICATION;
            case NotifyType.INVALID_ID_INFORMATION -> POLICY;
            case NotifyType.INVALID_PAYLOAD_TYPE, NotifyType.DOI_NOT_SUPPORTED, NotifyType.SITUATION_NOT_SUPPORTED,
                 NotifyType.INVALID_COOKIE, NotifyType.INVALID_MAJOR_VERSION, NotifyType.INVALID_MINOR_VERSION,
                 NotifyType.INVALID_EXCHANGE_TYPE, NotifyType.INVALID_FLAGS, NotifyType.INVALID_MESSAGE_ID,
                 NotifyType.INVALID_SPI, NotifyType.BAD_PROPOSAL_SYNTAX, NotifyType.PAYLOAD_MALFORMED,
                 NotifyType.INVALID_KEY_INFORMATION, NotifyType.UNSUPPORTED_EXCHANGE_TYPE,
                 NotifyType.UNEQUAL_PAYLOAD_LENGTHS -> MALFORMED;
            default -> OTHER;
        };
    }
}
