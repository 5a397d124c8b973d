package dev.vpnrouter.config.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Global {@code crypto isakmp} settings: identity, keepalive (DPD), NAT keepalive, aggressive-mode disable,
 * Xauth timeout; and {@code crypto call admission limit ike in-negotiation-sa N}, the cap on IKE SAs still
 * negotiating.
 */
public record IsakmpGlobals(Identity identity, Optional<Keepalive> keepalive, OptionalInt natKeepaliveSeconds,
                            boolean aggressiveModeDisabled, OptionalInt xauthTimeoutSeconds,
                            OptionalInt inNegotiationLimit) {

    public static final IsakmpGlobals DEFAULTS = new IsakmpGlobals(Identity.ADDRESS, Optional.empty(),
            OptionalInt.empty(), false, OptionalInt.empty(), OptionalInt.empty());

    /** {@code crypto isakmp identity address|hostname|dn}; address is the default. */
    public enum Identity {
        ADDRESS,
        HOSTNAME,
        DN
    }

    /** {@code crypto isakmp keepalive S [R] [periodic|on-demand]}; retry defaults to 2 s, mode to on-demand. */
    public record Keepalive(int seconds, int retrySeconds, boolean periodic) {
        public static final int DEFAULT_RETRY = 2;
    }
}
