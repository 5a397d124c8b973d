package dev.vpnrouter.config.model;

import java.util.List;

/** {@code aaa new-model} and the method lists for login authentication and network authorization. */
public record Aaa(boolean newModel, List<AaaMethodList> authenticationLogin,
                  List<AaaMethodList> authorizationNetwork) {
    public Aaa {
        authenticationLogin = List.copyOf(authenticationLogin);
        authorizationNetwork = List.copyOf(authorizationNetwork);
    }
}
