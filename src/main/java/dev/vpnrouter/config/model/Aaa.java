package dev.vpnrouter.config.model;

import java.util.List;

/**
 * {@code aaa new-model}, the method lists for login authentication, network authorization and network accounting
 * ({@code aaa accounting network L start-stop METHODS}), and {@code aaa accounting update [newinfo] periodic N}
 * (minutes between Interim-Updates; 0: none; {@code accountingNewinfo} as written, kept for the writer).
 */
public record Aaa(boolean newModel, List<AaaMethodList> authenticationLogin,
                  List<AaaMethodList> authorizationNetwork, List<AaaMethodList> accountingNetwork,
                  int accountingPeriodicMinutes, boolean accountingNewinfo) {
    public Aaa {
        authenticationLogin = List.copyOf(authenticationLogin);
        authorizationNetwork = List.copyOf(authorizationNetwork);
        accountingNetwork = List.copyOf(accountingNetwork);
    }
}
