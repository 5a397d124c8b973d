package dev.vpnrouter.config.model;

/** An ACL address: {@code any} (wildcard all ones), {@code host A} (wildcard 0) or {@code A W}. */
public record AddressWildcard(int address, int wildcard) {
    public static final AddressWildcard ANY = new AddressWildcard(0, -1);

    public static AddressWildcard host(int address) {
        return new AddressWildcard(address, 0);
    }

    public boolean isAny() {
        return wildcard == -1;
    }

    public boolean isHost() {
        return wildcard == 0;
    }

    public boolean matches(int candidate) {
        return ((candidate ^ address) & ~wildcard) == 0;
    }
}
