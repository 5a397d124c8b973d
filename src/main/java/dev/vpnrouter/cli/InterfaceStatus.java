package dev.vpnrouter.cli;

import java.util.List;

/**
 * One interface as {@code show ip interface [brief]} prints it: its address now (for {@code ip address dhcp} the
 * address the DHCP client holds, 0 while it has none), and the interface's IP settings as configured ({@code ip mtu},
 * {@code ip access-group}, {@code no ip proxy-arp}...: the lines vpnrouter keeps without acting on them).
 */
public record InterfaceStatus(String name, boolean up, int address, int mask, boolean dhcp, String description,
        String cryptoMap, List<String> settings) {
    public InterfaceStatus {
        settings = List.copyOf(settings);
    }

    public InterfaceStatus(String name, boolean up, int address, int mask, boolean dhcp, String description,
            String cryptoMap) {
        this(name, up, address, mask, dhcp, description, cryptoMap, List.of());
    }
}
