package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A TCP exchange between two LAN hosts through a tunnel: iperf3 moving a fixed amount both ways at once. */
final class TcpExchange {
    private TcpExchange() {
    }

    /**
     * Runs an iperf3 server on {@code server} (bound to {@code serverAddress}) and a client on {@code client}
     * sending and receiving {@code megabytes} each way (--bidir); fails unless both directions completed.
     */
    static String assertBothWays(Topology t, NetNs client, NetNs server, String serverAddress, int megabytes,
            String label) throws Exception {
        Prerequisites.require("iperf3");
        Path log = t.workDir().resolve("iperf3-server-" + label + ".log");
        try (Daemon d = server.start("iperf3-server-" + label, log,
                List.of("iperf3", "-s", "-1", "-B", serverAddress))) {
            Thread.sleep(300);
            Command.Result r = client.exec(Duration.ofSeconds(40), "iperf3", "-c", serverAddress, "--bidir",
                    "-n", megabytes + "M", "-f", "m", "--connect-timeout", "5000");
            String out = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as("iperf3 through the tunnel (" + label + "):\n" + out).isZero();
            assertThat(out.lines().filter(l -> l.contains("receiver")).count()).as(out).isEqualTo(2);
            return out;
        }
    }
}
