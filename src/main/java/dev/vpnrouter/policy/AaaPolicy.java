package dev.vpnrouter.policy;

import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.RadiusServer;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AAA method lists by name (Xauth uses a login list, Mode Config authorization a network list, a VPN session's
 * records an accounting list), the minutes between Interim-Updates (0: none) and RADIUS servers.
 */
public record AaaPolicy(boolean newModel, Map<String, List<AaaMethod>> authenticationLogin,
                        Map<String, List<AaaMethod>> authorizationNetwork,
                        Map<String, List<AaaMethod>> accountingNetwork, int accountingPeriodicMinutes,
                        List<RadiusServer> radiusServers, Optional<String> radiusKey) {
    public AaaPolicy {
        authenticationLogin = Map.copyOf(authenticationLogin);
        authorizationNetwork = Map.copyOf(authorizationNetwork);
        accountingNetwork = Map.copyOf(accountingNetwork);
        radiusServers = List.copyOf(radiusServers);
    }

    public Optional<List<AaaMethod>> loginMethods(String list) {
        return Optional.ofNullable(authenticationLogin.get(list));
    }

    public Optional<List<AaaMethod>> accountingMethods(String list) {
        return Optional.ofNullable(accountingNetwork.get(list));
    }

    public Optional<List<AaaMethod>> networkMethods(String list) {
        return Optional.ofNullable(authorizationNetwork.get(list));
    }
}
