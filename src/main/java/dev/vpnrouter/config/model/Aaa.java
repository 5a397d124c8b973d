package dev.vpnrouter.config.model;

import java.util.List;

/**
 * {@code aaa new-model}, the method lists for login authentication, network authorization and network accounting
 * ({@code aaa accounting network L start-stop METHODS}), and {@code aaa accounting update periodic N} (minutes
 * between Interim-Updates; 0: none).
 */
public record Aaa(boolean newModel, List<AaaMethodList> authenticationLogin,
                  List<AaaMethodList> authorizationNetwork, List<AaaMethodList> accountingNetwork,
                  int accountingPeriodicMinutes) {
    public Aaa {
        authenticationLogin = List.copyOf(authenticationLogin);
        authorizationNetwork = List.copyOf(authorizationNetwork);
        accountingNetwork = List.copyOf(accountingNetwork);
    }
}
