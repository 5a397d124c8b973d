package dev.vpnrouter.config.model;

/** {@code ip address A M}, {@code ip address dhcp}, or none ({@code no ip address}). */
public sealed interface InterfaceAddress {
    None NONE = new None();
    Dhcp DHCP = new Dhcp();

    record None() implements InterfaceAddress {
    }

    record Dhcp() implements InterfaceAddress {
    }

    record Static(int address, int mask) implements InterfaceAddress {
    }
}
