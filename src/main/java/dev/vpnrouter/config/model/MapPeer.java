package dev.vpnrouter.config.model;

/** {@code set peer A} or {@code set peer HOSTNAME}. */
public sealed interface MapPeer {
    record Address(int address) implements MapPeer {
    }

    record Hostname(String hostname) implements MapPeer {
    }
}
