package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.MatchIdentity;

import java.util.List;
import java.util.Optional;

/**
 * A compiled {@code crypto isakmp profile}: how a matched peer is treated. {@link #xauth()} is true when the
 * profile names a {@code client authentication list} (the peer must pass Xauth); {@link #modeConfigRespond()}
 * when it answers Mode Config requests ({@code client configuration address respond}).
 */
public record ProfilePolicy(String name, Optional<String> keyring, List<MatchIdentity> matches,
                            Optional<IsakmpProfile.SelfIdentity> selfIdentity,
                            Optional<String> clientAuthenticationList, Optional<String> isakmpAuthorizationList,
                            Optional<String> clientAccountingList,
                            boolean modeConfigRespond, boolean modeConfigInitiate, boolean initiateAggressive,
                            Optional<IsakmpProfile.Keepalive> keepalive) {
    public ProfilePolicy {
        matches = List.copyOf(matches);
    }

    public boolean xauth() {
        return clientAuthenticationList.isPresent();
    }

    /** The client configuration groups this profile matches ({@code match identity group}). */
    public List<String> groups() {
        return matches.stream().filter(m -> m instanceof MatchIdentity.Group)
                .map(m -> ((MatchIdentity.Group) m).name()).toList();
    }
}
