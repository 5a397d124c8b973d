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
    void threeHubsShareTheStandInAndTheClientsOfAKilledHubComeBackThroughAnotherWithTheirAddress()
            throws IOException {
        Run r = run(3, 300, true);
        assertThat(r.outcome().failures()).as(r.output()).isEmpty();
        assertThat(r.output()).contains("bring-up: 300 of 300 clients up").contains("per hub: Hub1 100 Hub2 100 "
                + "Hub3 100").contains("per hub: Hub1 dead Hub2 200 Hub3 100");
        assertThat(r.outcome().clientsUp()).isEqualTo(300);
        assertThat(r.outcome().moved()).isEqualTo(100);
        assertThat(r.outcome().movedBack()).isEqualTo(100);
        // The dead hub's sessions are never Stopped, yet they do not hold their users out: each client comes back
        // from the same Calling-Station-Id through another hub. Convergence is DPD's time, well inside the stale
        // bound.
        assertThat(r.outcome().convergeVirtualMillis()).isLessThan(ClusterLab.STALE_MILLIS / 2);
        SimRadiusServer.Counters c = r.lab().radius().counters();
        assertThat(c.movedClients).isEqualTo(100);
        assertThat(c.staleSessionsClosed).isZero();
        assertThat(c.rejectedSimultaneousUse).isZero();
        assertThat(c.rejectedPassword + c.rejectedPoolExhausted + c.dropped).isZero();
        assertThat(c.accepts).isEqualTo(400);
        assertThat(c.addressesReturned).isEqualTo(100);
        assertThat(c.starts).isEqualTo(400);
        assertThat(c.stops).isZero();
        // Every login went over the wire: 100 per hub at bring-up, Hub2 took Hub1's clients.
        assertThat(r.lab().hubs().get(0).radius().loginsAsked()).isEqualTo(100);
        assertThat(r.lab().hubs().get(2).radius().loginsAsked()).isEqualTo(100);
        assertThat(r.lab().hubs().get(1).radius().loginsAsked()).isEqualTo(200);
        // Each client holds the address the stand-in leases to its user, and no address is held twice.
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int address = r.lab().clients().get(i).config().address();
            assertThat(held.add(address)).as(Ipv4.format(address)).isTrue();
            assertThat(r.lab().radius().leaseOf("user" + (i + 1))).isEqualTo(address);
        }
    }

    @Test
    void aSecondLoginOfAUserWhoIsOnIsRefusedOnEveryHubAndGetsNoAddress() throws IOException {
        Run r = run(3, 6, false);
        assertThat(r.outcome().failures()).as(r.output()).isEmpty();
        int address = r.lab().clients().getFirst().config().address();
        for (int hub = 0; hub < 3; hub++) {
            SimVpnClient second = r.lab().secondLogin(0, hub);
            r.lab().runFor(5_000);
            assertThat(second.children()).as("through hub " + (hub + 1)).isEmpty();
            assertThat(second.config()).isNull();
        }
        assertThat(r.lab().radius().counters().rejectedSimultaneousUse).isGreaterThanOrEqualTo(3);
        assertThat(r.lab().radius().leaseOf("user1")).isEqualTo(address);
        assertThat(r.lab().clients().getFirst().children()).isNotEmpty();
        assertThat(r.lab().clients().getFirst().config().address()).isEqualTo(address);
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
