package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vpnrouter lab --hubs N}: hubs asking the RADIUS/IPAM stand-in over the simulated internet. */
class ClusterLabTest {
    record Run(ClusterLab lab, ClusterLab.Outcome outcome, String output) {
    }

    static Run run(int hubs, int clients, boolean kill) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClusterLab lab = new ClusterLab(new ClusterLab.Options(Files.readString(Path.of("examples/seed/hub.cfg")),
                hubs, clients, 1, new FaultModel(0, 0, 0, 5), kill), new PrintStream(bytes, true,
                StandardCharsets.UTF_8));
        ClusterLab.Outcome outcome = lab.run();
        return new Run(lab, outcome, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void threeHubsLogTheirClientsInThroughTheStandInWithAddressesFromItsPool() throws IOException {
        Run r = run(3, 60, false);
        assertThat(r.outcome().failures()).as(r.output()).isEmpty();
        assertThat(r.outcome().clientsUp()).isEqualTo(60);
        // Every login went over the wire, 20 per hub, and every session was accounted.
        for (SimLanRouter hub : r.lab().hubs()) {
            assertThat(hub.radius().loginsAsked()).isEqualTo(20);
        }
        SimRadiusServer.Counters c = r.lab().radius().counters();
        assertThat(c.accepts).isEqualTo(60);
        assertThat(c.starts).isEqualTo(60);
        assertThat(c.interims).isGreaterThanOrEqualTo(60); // two minutes of Interim-Updates after bring-up
        assertThat(c.dropped).isZero();
        // Each client holds the address the stand-in leases to its user, and no address is held twice.
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            SimVpnClient client = r.lab().clients().get(i);
            int address = client.config().address();
            assertThat(held.add(address)).as(Ipv4.format(address)).isTrue();
            assertThat(r.lab().radius().leaseOf("user" + (i + 1))).isEqualTo(address);
        }
        assertThat(r.output()).contains("per hub: Hub1 20 Hub2 20 Hub3 20");
    }

    @Test
    void theClusterConfigSendsXauthAndAccountingToTheStandInAndNamesEveryHubAsABackupGateway()
            throws IOException {
        String text = ClusterLab.clusterConfig(Files.readString(Path.of("examples/seed/hub.cfg")), "testgroup",
                new int[] {Ipv4.parse("10.48.67.181"), Ipv4.parse("10.48.67.182")}, Ipv4.parse("10.48.67.169"));
        assertThat(text).contains("aaa authentication login clientauth group radius\n")
                .doesNotContain("aaa authentication login clientauth local")
                .contains("crypto isakmp client configuration group testgroup\n  backup-gateway 10.48.67.181\n"
                        + "  backup-gateway 10.48.67.182\n")
                .contains("  client authentication list clientauth\n  client accounting list labacct\n")
                .contains("address ipv4 10.48.67.169 auth-port 1812 acct-port 1813");
        assertThat(dev.vpnrouter.config.ConfigLoader.load(text).diagnostics().stream()
                .filter(dev.vpnrouter.config.Diagnostic::isError)).isEmpty();
    }
}
