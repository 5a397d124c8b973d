package dev.vpnrouter.cli;

/**
 * One interface as {@code show ip interface [brief]} prints it: its address now (for {@code ip address dhcp} the
 * address the DHCP client holds, 0 while it has none).
 */
public record InterfaceStatus(String name, boolean up, int address, int mask, boolean dhcp, String description,
        String cryptoMap) {
}
