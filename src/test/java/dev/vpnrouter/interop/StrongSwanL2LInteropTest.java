package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.net.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's LAN-to-LAN part between two real strongSwan peers, proving the harness end to end: a spoke whose
 * outside address comes from DHCP brings up IKEv1 Main Mode + Quick Mode (PSK cisco123, 3DES/SHA1/modp1024, ESP
 * 3DES-SHA1, 10.2.0.0/16 <-> 10.1.0.0/16) to the hub, a host behind the spoke pings a host behind the hub, and
 * Wireshark decodes every ISAKMP packet on the hub's outside link without a malformed flag.
 */
@Interop
class StrongSwanL2LInteropTest {
    @Test
    @Timeout(120)
    void seedSpokeToSeedHubOverDhcpAddress() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "tshark", "dnsmasq", "udhcpc");
        Path work = Topology.workDir("strongswan-l2l-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            String spokeAddress = t.spokeOutside();
            int leased = Ipv4.parse(spokeAddress);
            assertThat(leased).isBetween(Ipv4.parse(Topology.DHCP_FIRST), Ipv4.parse(Topology.DHCP_LAST));

            // Without a tunnel the LANs cannot reach each other: inet has no route to 10.x.
            Command.Result before = t.spokeHost().ping(Topology.HUB_HOST, 1, Duration.ofSeconds(1));
            assertThat(before.ok()).as("LAN-to-LAN ping before any tunnel must fail").isFalse();

            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub-out0.pcap")));
            StrongSwan hub = t.own(StrongSwan.start(t.hub(), work.resolve("hub"), SeedPeers.hub(Topology.HUB_OUTSIDE)));
            StrongSwan spoke = t.own(StrongSwan.start(t.spoke(), work.resolve("spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));

            spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(30));
            String hubSas = hub.awaitEstablished(SeedPeers.HUB_L2L_CONN, SeedPeers.HUB_L2L_CHILD,
                    Duration.ofSeconds(15));
            assertThat(hubSas).contains(spokeAddress).contains("3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024")
                    .contains("10.1.0.0/16").contains("10.2.0.0/16");

            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));
            t.hubHost().assertPing(Topology.SPOKE_HOST, 2, Duration.ofSeconds(10));

            Path pcap = capture.stop();
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 2 && ip.src == " + spokeAddress))
                    .as("Main Mode from the spoke's DHCP address").isEqualTo(3);
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 2 && ip.src == " + Topology.HUB_OUTSIDE))
                    .as("Main Mode from the hub").isEqualTo(3);
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 32")).as("Quick Mode").isEqualTo(3);
            assertThat(Tshark.count(pcap, "udp.port == 4500 && esp")).as("ESP in UDP").isGreaterThanOrEqualTo(10);
            assertThat(Tshark.count(pcap, "icmp")).as("no cleartext ICMP on the outside link").isZero();
            List<String> problems = Tshark.isakmpProblems(pcap);
            assertThat(problems).as("malformed ISAKMP in " + pcap).isEmpty();
        }
    }
}
