package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/**
 * {@code crypto isakmp profile NAME}: which peers it matches, the keyring their keys come from, and how they are
 * treated (Xauth list, authorization list, accounting list, Mode Config direction, aggressive initiation, keepalive).
 */
public record IsakmpProfile(String name, Optional<String> description, Optional<String> keyring,
                            List<MatchIdentity> matches, Optional<SelfIdentity> selfIdentity,
                            Optional<String> clientAuthenticationList, Optional<String> isakmpAuthorizationList,
                            Optional<String> clientAccountingList,
                            boolean clientConfigurationRespond, boolean clientConfigurationInitiate,
                            boolean initiateAggressive, Optional<Keepalive> keepalive) {
    public IsakmpProfile {
        matches = List.copyOf(matches);
    }

    /** {@code self-identity address|fqdn|user-fqdn [X]}. */
    public record SelfIdentity(Kind kind, Optional<String> value) {
        public enum Kind {
            ADDRESS("address"),
            FQDN("fqdn"),
            USER_FQDN("user-fqdn");

            private final String keyword;

            Kind(String keyword) {
                this.keyword = keyword;
            }

            public String keyword() {
                return keyword;
            }
        }
    }

    /** {@code keepalive S retry R}. */
    public record Keepalive(int seconds, int retrySeconds) {
    }
}
