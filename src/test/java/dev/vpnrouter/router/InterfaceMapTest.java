package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InterfaceMapTest {
    private static final int HUB = Ipv4.parse("203.0.113.2");
    private static final int MASK = Ipv4.parse("255.255.255.0");

    private static Interface iface(String name, String description, InterfaceAddress address) {
        return new Interface(name, Optional.ofNullable(description), address, List.of(), false,
                Optional.of("mymap"), List.of());
    }

    private static LinuxInterfaces system(String defaultRoute, Object... nameThenAddresses) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenAddresses.length; i += 2) {
            m.put((String) nameThenAddresses[i], ((List<?>) nameThenAddresses[i + 1]).stream()
                    .map(a -> Ipv4.parse((String) a)).toList());
        }
        return new LinuxInterfaces(m, defaultRoute);
    }

    private static final Interface SEED_HUB = iface("FastEthernet0/0", "Outside interface",
            new InterfaceAddress.Static(HUB, MASK));
    private static final Interface SEED_SPOKE = iface("FastEthernet0/0", "Outside interface", InterfaceAddress.DHCP);

    @Test
    void explicitOptionWinsAndTakesIosAbbreviations() throws Exception {
        LinuxInterfaces sys = system("eth0", "eth0", List.of("10.0.0.5"), "eth1", List.of("203.0.113.2"));
        InterfaceMap.Binding b = InterfaceMap.parse(List.of("fa0/0=eth1")).resolve(SEED_HUB, sys);
        assertThat(b).isEqualTo(new InterfaceMap.Binding("FastEthernet0/0", "eth1", "--interface"));
        assertThat(b.toString()).isEqualTo("FastEthernet0/0=eth1");
        assertThat(InterfaceMap.parse(List.of("FASTETHERNET0/0=eth0")).resolve(SEED_SPOKE, sys).linuxName())
                .isEqualTo("eth0");
    }

    @Test
    void explicitOptionToAMissingOrWrongInterfaceIsRefused() {
        LinuxInterfaces sys = system(null, "eth0", List.of("10.0.0.5"));
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("FastEthernet0/0=eth9")).resolve(SEED_SPOKE, sys))
                .isInstanceOf(InterfaceMap.Unmapped.class).hasMessageContaining("there is no Linux interface eth9")
                .hasMessageContaining("have: eth0");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("FastEthernet0/0=eth0")).resolve(SEED_HUB, sys))
                .isInstanceOf(InterfaceMap.Unmapped.class)
                .hasMessage("FastEthernet0/0 has address 203.0.113.2 in the configuration, but eth0 (chosen by "
                        + "--interface) holds 10.0.0.5: run does not configure addresses; add it or fix the "
                        + "configuration");
    }

    @Test
    void badOptionValuesSayWhatIsWrong() {
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("FastEthernet0/0")))
                .hasMessage("--interface takes IOS=LINUX (e.g. FastEthernet0/0=eth0), not 'FastEthernet0/0'");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=eth0/1"))).hasMessageContaining("not a Linux");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=averyveryverylongname")))
                .hasMessageContaining("1-15 characters");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=eth0", "FastEthernet0/0=eth1")))
                .hasMessage("--interface maps FastEthernet0/0 twice");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=eth0", "Fa0/1=eth0")))
                .hasMessage("--interface maps two IOS interfaces to eth0");
    }

    @Test
    void descriptionWordNamingALinuxInterface() throws Exception {
        Interface ios = iface("FastEthernet0/0", "Outside interface (wan0)", InterfaceAddress.DHCP);
        LinuxInterfaces sys = system("eth0", "eth0", List.of("10.0.0.5"), "wan0", List.of("198.51.100.7"));
        assertThat(InterfaceMap.defaults().resolve(ios, sys))
                .isEqualTo(new InterfaceMap.Binding("FastEthernet0/0", "wan0", "description"));
    }

    @Test
    void linuxInterfaceNamedAfterTheIosOne() throws Exception {
        for (String linux : List.of("fa0-0", "Fa0_0", "fastethernet0-0", "fa0.0")) {
            LinuxInterfaces sys = system("eth0", "eth0", List.of("10.0.0.5"), linux, List.of("198.51.100.7"));
            assertThat(InterfaceMap.defaults().resolve(SEED_SPOKE, sys).linuxName()).as(linux).isEqualTo(linux);
        }
        LinuxInterfaces other = system("eth0", "eth0", List.of("10.0.0.5"), "fa0-1", List.of("198.51.100.7"),
                "fa00", List.of("198.51.100.8"));
        assertThat(InterfaceMap.defaults().resolve(SEED_SPOKE, other).rule())
                .as("fa0-1 and fa00 are not FastEthernet0/0").isEqualTo("default route");
    }

    @Test
    void staticAddressFindsTheInterfaceHoldingIt() throws Exception {
        LinuxInterfaces sys = system("eth0", "eth0", List.of("10.0.0.5"), "out0", List.of("192.0.2.9",
                "203.0.113.2"));
        assertThat(InterfaceMap.defaults().resolve(SEED_HUB, sys))
                .isEqualTo(new InterfaceMap.Binding("FastEthernet0/0", "out0", "address 203.0.113.2"));
        assertThatThrownBy(() -> InterfaceMap.defaults().resolve(SEED_HUB, system("eth0", "eth0",
                List.of("10.0.0.5")))).isInstanceOf(InterfaceMap.Unmapped.class)
                .hasMessageContaining("no Linux interface holds it: add it (ip addr add 203.0.113.2/24 dev IFNAME)");
    }

    @Test
    void dhcpTakesTheDefaultRouteInterface() throws Exception {
        LinuxInterfaces sys = system("out0", "in0", List.of("10.2.2.2"), "out0", List.of("198.51.100.103"));
        assertThat(InterfaceMap.defaults().resolve(SEED_SPOKE, sys))
                .isEqualTo(new InterfaceMap.Binding("FastEthernet0/0", "out0", "default route"));
        assertThatThrownBy(() -> InterfaceMap.defaults().resolve(SEED_SPOKE, system(null, "in0",
                List.of("10.2.2.2")))).isInstanceOf(InterfaceMap.Unmapped.class)
                .hasMessageContaining("map it with --interface FastEthernet0/0=IFNAME");
    }

    @Test
    void noAddressNeedsTheOption() {
        Interface none = iface("Serial0/0", null, InterfaceAddress.NONE);
        assertThatThrownBy(() -> InterfaceMap.defaults().resolve(none, system("eth0", "eth0", List.of())))
                .hasMessage("Serial0/0 has no address: map it with --interface Serial0/0=IFNAME");
    }

    @Test
    void defaultRouteFromProcNetRoute() {
        String table = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                in0\t0002020A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                eth9\t00000000\t01010101\t0003\t0\t0\t200\t00000000\t0\t0\t0
                out0\t00000000\t016433C6\t0003\t0\t0\t0\t00000000\t0\t0\t0
                down0\t00000000\t01010101\t0002\t0\t0\t0\t00000000\t0\t0\t0
                """;
        assertThat(LinuxInterfaces.defaultRouteInterface(table)).isEqualTo("out0");
        assertThat(LinuxInterfaces.defaultRouteInterface("Iface\tDestination\n")).isNull();
        assertThat(LinuxInterfaces.defaultRouteInterface("garbage x y z a b c d\n")).isNull();
    }
}
