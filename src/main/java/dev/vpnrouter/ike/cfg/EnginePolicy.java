package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.ike.wire.IdPayload;

import java.util.List;

/**
 * What the IKE engine asks of the configuration, in the terms IOS decides by. The compiled {@code policy} view
 * answers it for a real router; tests answer it directly.
 */
public interface EnginePolicy {
    /** The router's name for logs and show output. */
    String hostname();

    /** {@code crypto isakmp policy} entries in priority order. */
    List<IkeProposal> ikeProposals();

    /**
     * The pre-shared key for a peer address, as Main Mode must choose it before the identity is known: keyrings
     * (longest match, the wildcard 0.0.0.0 0.0.0.0 last), then {@code crypto isakmp key}. Null when none.
     */
    PresharedKey presharedKeyFor(int peerAddress);

    /** The group key of {@code crypto isakmp client configuration group NAME}, null when no such group. */
    default byte[] groupKey(String group) {
        return null;
    }

    /** True when profiles are configured, so a peer matching none of them is refused. */
    boolean profilesConfigured();

    /** The first profile whose {@code match identity} accepts this phase-1 identity, null when none. */
    PeerProfile profileFor(IdPayload identity, int peerAddress);

    /** Crypto map entries on the outside interface, in sequence order, dynamic-map entries expanded in theirs. */
    List<ChildPolicy> cryptoMap();

    /** {@code crypto isakmp keepalive}: seconds between DPD probes when idle, 0 for off. */
    default int dpdIntervalSeconds() {
        return 0;
    }

    /** {@code crypto isakmp keepalive S R}: retry interval when a probe goes unanswered. */
    default int dpdRetrySeconds() {
        return 2;
    }

    /** {@code crypto isakmp nat keepalive S}, 0 for off (IOS default: 20 s are sent only when NAT is found). */
    default int natKeepaliveSeconds() {
        return 20;
    }

    /** {@code crypto isakmp aggressive-mode disable}. */
    default boolean aggressiveModeDisabled() {
        return false;
    }
}
