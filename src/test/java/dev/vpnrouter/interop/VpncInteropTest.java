package dev.vpnrouter.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's VPN client part between real peers: vpnc behind a NAT connects to the strongSwan seed hub with group
 * testgroup, Xauth and Mode Config, receives the pool address, DNS, WINS, domain and split network, and pings a
 * host behind the hub. Proves the Vpnc fixture, the NAT namespace and the hub's client configuration.
 */
@Interop
class VpncInteropTest {
    @Test
    @Timeout(120)
    void seedClientBehindNatGetsModeConfigAndReachesTheHubLan() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "vpnc", "nft", "tshark");
        Path work = Topology.workDir("vpnc-nat-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.NAT).build()) {
            Tshark.Capture capture = t.own(Tshark.capture(t.hub(), Topology.OUTSIDE_IF, work.resolve("hub-out0.pcap")));
            StrongSwan hub = t.own(StrongSwan.start(t.hub(), work.resolve("hub"), SeedPeers.hub(Topology.HUB_OUTSIDE)));
            Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"), Vpnc.Config.seed(Topology.HUB_OUTSIDE)));

            Vpnc.Received received = vpnc.awaitConnected(Duration.ofSeconds(30));
            assertThat(received.variable("INTERNAL_IP4_ADDRESS")).isEqualTo("10.5.5.1");
            assertThat(received.dns()).containsExactly("1.1.1.1", "2.2.2.2");
            assertThat(received.wins()).containsExactly("3.3.3.3", "4.4.4.4");
            assertThat(received.defaultDomain()).isEqualTo("cisco.com");
            assertThat(received.splitIncludes()).containsExactly("10.1.0.0/16");

            String sas = hub.awaitEstablished(SeedPeers.HUB_CLIENT_CONN, SeedPeers.HUB_CLIENT_CHILD,
                    Duration.ofSeconds(15));
            assertThat(sas).contains("remote '" + SeedPeers.GROUP + "' @ " + Topology.CLIENT_OUTSIDE)
                    .contains("XAuth: '" + SeedPeers.XAUTH_USER + "' [10.5.5.1]").contains("10.5.5.1/32");

            t.client().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(10));

            Path pcap = capture.stop();
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 4")).as("Aggressive Mode").isEqualTo(3);
            assertThat(Tshark.count(pcap, "isakmp.exchangetype == 6")).as("Transaction (Xauth, Mode Config)")
                    .isGreaterThanOrEqualTo(4);
            assertThat(Tshark.count(pcap, "ip.src == " + Topology.CLIENT_BEHIND_NAT))
                    .as("the NAT hides the client's own address").isZero();
            assertThat(Tshark.count(pcap, "udp.port == 4500 && esp")).isGreaterThanOrEqualTo(6);
            assertThat(Tshark.isakmpProblems(pcap)).as("malformed ISAKMP in " + pcap).isEmpty();
        }
    }
}
