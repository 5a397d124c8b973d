package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimRouter;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden layout of the show commands against the seed's samples, with values from a deterministic run. */
class CryptoShowTest {
    static SimRouter[] seedRun() throws IOException {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 5, FaultModel.PERFECT);
        SimRouter hub = new SimRouter("hub", net, Ipv4.parse("10.48.67.181"),
                new ConfigPolicy(ConfigLoader.load(Files.readString(Path.of("examples/seed/hub.cfg"))).config()), 1);
        SimRouter spoke = new SimRouter("spoke", net, Ipv4.parse("10.100.2.102"),
                new ConfigPolicy(ConfigLoader.load(Files.readString(Path.of("examples/seed/spoke.cfg"))).config()), 2);
        spoke.run(e -> e.connectAll(0));
        clock.runUntil(10_000);
        return new SimRouter[] {hub, spoke};
    }

    @Test
    void isakmpSaDetailHasTheSeedsLayout() throws IOException {
        SimRouter hub = seedRun()[0];
        String out = CryptoShow.isakmpSaDetail(hub.engine().ikeSas(), 10_000);
        assertThat(out).startsWith("""
                Codes: C - IKE configuration mode, D - Dead Peer Detection
                       K - Keepalives, N - NAT-traversal
                       X - IKE Extended Authentication
                       psk - Preshared key, rsig - RSA signature
                       renc - RSA encryption

                C-id  Local           Remote          I-VRF    Encr Hash Auth DH Lifetime Cap.
                """);
        assertThat(out.lines().toList()).contains(
                "1     10.48.67.181    10.100.2.102             3des sha  psk  2  23:59:50");
    }

    @Test
    void anSaWithoutVolumeLifetimeShowsSecondsOnly() throws IOException {
        SimRouter spoke = seedRun()[1];
        String seed = CryptoShow.ipsecSa("FastEthernet0/0", "mymap", Ipv4.parse("10.100.2.102"),
                spoke.children(), c -> null, 10_000);
        assertThat(seed).contains("        sa timing: remaining key lifetime (k/sec): (4608000/3590)\n");

        // As negotiated when neither side offers kilobytes (crypto ipsec security-association lifetime kilobytes
        // disable): 0.
        var c = spoke.children().getFirst();
        var unlimited = new dev.vpnrouter.ike.ChildSa(c.id(), c.ikeConnId(), c.policy(), c.localAddress(),
                c.peerAddress(), c.localPort(), c.peerPort(), c.local(), c.remote(), c.transform(), c.inboundSpi(),
                c.inboundKeys(), c.outboundSpi(), c.outboundKeys(), c.lifetimeSeconds(), 0, c.createdAtMillis(),
                c.initiator());
        String out = CryptoShow.ipsecSa("FastEthernet0/0", "mymap", Ipv4.parse("10.100.2.102"),
                java.util.List.of(unlimited), x -> null, 10_000);
        assertThat(out).contains("        sa timing: remaining key lifetime (sec): (3590)\n")
                .doesNotContain("k/sec");
    }

    /** IOS's view of an encryption-only transform set ({@code esp-3des} alone): no replay detection. */
    @Test
    void anSaWithoutIntegrityHasNoReplayDetection() throws IOException {
        SimRouter spoke = seedRun()[1];
        var c = spoke.children().getFirst();
        assertThat(CryptoShow.ipsecSa("FastEthernet0/0", "mymap", Ipv4.parse("10.100.2.102"), java.util.List.of(c),
                x -> null, 10_000)).contains("        replay detection support: Y\n");
        var encryptionOnly = new dev.vpnrouter.ike.ChildSa(c.id(), c.ikeConnId(), c.policy(), c.localAddress(),
                c.peerAddress(), c.localPort(), c.peerPort(), c.local(), c.remote(),
                new dev.vpnrouter.ike.cfg.EspProposal("only3des", dev.vpnrouter.ike.wire.TransformId.Esp.ESP_3DES,
                        0, 0, true), c.inboundSpi(), c.inboundKeys(), c.outboundSpi(), c.outboundKeys(),
                c.lifetimeSeconds(), c.lifetimeKilobytes(), c.createdAtMillis(), c.initiator());
        assertThat(CryptoShow.ipsecSa("FastEthernet0/0", "mymap", Ipv4.parse("10.100.2.102"),
                java.util.List.of(encryptionOnly), x -> null, 10_000))
                .contains("        replay detection support: N\n").doesNotContain("support: Y");
    }

    @Test
    void ipInterfaceSaysDhcp() {
        assertThat(CryptoShow.ipInterface("FastEthernet0/0", true, Ipv4.parse("10.100.2.102"),
                Ipv4.parse("255.255.255.0"), true)).startsWith("""
                FastEthernet0/0 is up, line protocol is up
                  Internet address is 10.100.2.102/24
                  Broadcast address is 255.255.255.255
                  Address determined by DHCP
                  MTU is 1500 bytes
                  Helper address is not set
                """).contains("  Inbound  access list is not set\n", "  Proxy ARP is enabled\n",
                "  IP CEF switching is enabled\n").endsWith("  BGP Policy Mapping is disabled\n");
    }

    @Test
    void ipInterfaceShowsTheInterfacesSettings() {
        String out = CryptoShow.ipInterface("FastEthernet0/1", true, Ipv4.parse("10.1.1.1"),
                Ipv4.parse("255.255.254.0"), false, java.util.List.of("ip mtu 1400", "ip access-group 101 in",
                        "ip helper-address 10.1.1.5", "no ip proxy-arp", "no ip redirects", "ip nat inside"));
        assertThat(out).contains("  MTU is 1400 bytes\n", "  Helper address is 10.1.1.5\n",
                "  Outgoing access list is not set\n", "  Inbound  access list is 101\n", "  Proxy ARP is disabled\n",
                "  ICMP redirects are never sent\n", "  ICMP unreachables are always sent\n",
                "  Network address translation is enabled, interface in domain inside\n");
    }
}
