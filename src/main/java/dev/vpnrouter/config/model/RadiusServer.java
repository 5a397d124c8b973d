package dev.vpnrouter.config.model;

import java.util.Optional;

/**
 * A RADIUS server: {@code radius-server host A [auth-port N] [acct-port N] [key K]} (no name) or a named
 * {@code radius server NAME} block with {@code address ipv4 A ...} and {@code key K}. Address 0 means not set.
 */
public record RadiusServer(Optional<String> name, int address, int authPort, int acctPort, Optional<String> key) {
    public static final int DEFAULT_AUTH_PORT = 1645;
    public static final int DEFAULT_ACCT_PORT = 1646;

    @Override
    public String toString() {
        return "RadiusServer[" + name.orElse("") + " " + dev.vpnrouter.common.Ipv4.format(address) + " auth "
                + authPort + " acct " + acctPort + (key.isPresent() ? " key ***" : "") + "]";
    }
}
