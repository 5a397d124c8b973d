package dev.vpnrouter.interop;

import dev.vpnrouter.metrics.MetricsServer;
import dev.vpnrouter.metrics.PrometheusTextAccess;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus endpoint of a real router (issue 6, "Metrics"): our hub with the seed's hub.cfg in the hub
 * namespace, a strongSwan spoke, pings through the tunnel, then {@code GET /metrics} inside the hub's namespace:
 * the scrape parses as the Prometheus text format and says one ISAKMP SA and one IPsec SA pair are up, both
 * negotiations succeeded, and ESP packets and bytes went both ways. Then the same through {@code vpnrouter run
 * --metrics-port} as its own process.
 */
@Interop
class MetricsInteropTest {
    private static final String[] PROGRAMS = {"ip", "ping", "charon", "swanctl", "nsenter"};
    private static final int PINGS = 4;

    /** An HTTP response: status, headers (lower-case names) and body. */
    record Response(int status, String contentType, String body) {
    }

    /** GET over a plain socket opened in {@code ns} (the endpoint listens on that namespace's loopback). */
    static Response get(NetNs ns, InetSocketAddress address, String path) throws IOException {
        return ns.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(address, 5_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: metrics\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                assertThat(end).as("an HTTP response: " + text).isPositive();
                String[] head = text.substring(0, end).split("\r\n");
                String type = null;
                for (String h : head) {
                    if (h.toLowerCase().startsWith("content-type:")) {
                        type = h.substring("content-type:".length()).trim();
                    }
                }
                return new Response(Integer.parseInt(head[0].split(" ")[1]), type, text.substring(end + 4));
            }
        });
    }

    private static PrometheusTextAccess scrape(NetNs ns, InetSocketAddress address) throws IOException {
        Response r = get(ns, address, MetricsServer.PATH);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo(MetricsServer.CONTENT_TYPE);
        return PrometheusTextAccess.parse(r.body());
    }

    private static void assertTunnelUp(PrometheusTextAccess p, String what) {
        assertThat(p.value("vpnrouter_ike_sas_up")).as(what + ": ISAKMP SAs up").isEqualTo(1);
        assertThat(p.value("vpnrouter_ipsec_sas_up")).as(what + ": IPsec SA pairs up").isEqualTo(1);
        assertThat(p.value("vpnrouter_ike_negotiations_succeeded_total", "phase", "1")
                + p.value("vpnrouter_ike_negotiations_succeeded_total", "phase", "2"))
                .as(what + ": negotiations succeeded").isGreaterThanOrEqualTo(2);
        assertThat(p.value("vpnrouter_ike_negotiations_started_total", "phase", "1")).isGreaterThanOrEqualTo(1);
        assertThat(p.value("vpnrouter_ike_negotiations_started_total", "phase", "2")).isGreaterThanOrEqualTo(1);
        assertThat(p.value("vpnrouter_ike_datagrams_total", "direction", "in")).isPositive();
        assertThat(p.value("vpnrouter_esp_packets_total", "direction", "in")).as(what + ": ESP in")
                .isGreaterThanOrEqualTo(PINGS);
        assertThat(p.value("vpnrouter_esp_packets_total", "direction", "out")).as(what + ": ESP out")
                .isGreaterThanOrEqualTo(PINGS);
        // Each echo request carries at least 20 (IP) + 8 (ICMP) + 56 bytes.
        assertThat(p.value("vpnrouter_esp_bytes_total", "direction", "in")).isGreaterThanOrEqualTo(PINGS * 84);
        assertThat(p.value("vpnrouter_esp_bytes_total", "direction", "out")).isGreaterThanOrEqualTo(PINGS * 84);
        assertThat(p.value("vpnrouter_ike_negotiations_failed_total", "reason", "authentication")).isZero();
        assertThat(p.value("vpnrouter_ike_negotiations_failed_total", "reason", "no_proposal_chosen")).isZero();
        // The seed's ip local pool ippool 10.5.5.1 10.5.5.254: no VPN client here, nothing handed out.
        assertThat(p.value("vpnrouter_pool_addresses", "pool", "ippool")).isEqualTo(254);
        assertThat(p.value("vpnrouter_pool_addresses_in_use", "pool", "ippool")).isZero();
        assertThat(p.value("vpnrouter_metrics_stale_scrapes_total")).isZero();
        // One tunnel is no burst: nothing dropped in the loop's queues or the kernel's buffer (both exported).
        assertThat(p.value("vpnrouter_ike_queue_drops_total")).isZero();
        assertThat(p.value("vpnrouter_ike_kernel_drops_total")).isZero();
    }

    private static StrongSwan spokeUp(Topology t, Path work) throws Exception {
        StrongSwan swan = t.own(StrongSwan.start(t.spoke(), work.resolve("swan-spoke"),
                SeedPeers.spoke(Topology.HUB_OUTSIDE)));
        swan.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(40));
        swan.awaitEstablished(SeedPeers.SPOKE_CONN, SeedPeers.SPOKE_CHILD, Duration.ofSeconds(10));
        t.spokeHost().assertPing(Topology.HUB_HOST, PINGS, Duration.ofSeconds(15));
        return swan;
    }

    @Test
    @Timeout(180)
    void ourHubWithAStrongSwanSpokeReportsTheTunnelAndItsTraffic() throws Exception {
        Prerequisites.require(PROGRAMS);
        Path work = Topology.workDir("metrics-hub-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            List<String> hubLog = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(),
                    EngineStrongSwanInteropTest.policy(EngineStrongSwanInteropTest.seed("hub.cfg")),
                    Topology.HUB_OUTSIDE, work.resolve("hub-keys.csv"), hubLog));
            LinuxDataPlane esp = EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, hubLog);
            MetricsServer server = t.own(t.hub().call(() -> MetricsServer.forRouter("127.0.0.1", 0, hub, esp)));
            InetSocketAddress at = server.address();

            PrometheusTextAccess before = scrape(t.hub(), at);
            assertThat(before.value("vpnrouter_ike_sas_up")).isZero();
            assertThat(before.value("vpnrouter_esp_packets_total", "direction", "in")).isZero();

            spokeUp(t, work);
            PrometheusTextAccess after;
            try {
                after = scrape(t.hub(), at);
                assertTunnelUp(after, "in-process hub");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nour hub's log:\n" + String.join("\n", hubLog), e);
            }
            // The scrape agrees with the data plane itself.
            long sealed = hub.query(e -> esp.dataPlane().flows().stream()
                    .mapToLong(f -> f.counters().pktsEncaps()).sum());
            assertThat(after.value("vpnrouter_esp_packets_total", "direction", "out")).isEqualTo(sealed);

            assertThat(get(t.hub(), at, "/").status()).isEqualTo(404);
        }
    }

    @Test
    @Timeout(180)
    void runWithMetricsPortServesTheEndpoint() throws Exception {
        Prerequisites.require(PROGRAMS);
        Path work = Topology.workDir("metrics-run-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            Path hubCfg = work.resolve("hub.cfg");
            Files.writeString(hubCfg, EngineStrongSwanInteropTest.seed("hub.cfg"));
            int port = 9477;
            Daemon hub = t.own(t.hub().startJava("our-hub", work.resolve("our-hub.out"), "dev.vpnrouter.app.Main",
                    "run", "--config", hubCfg.toString(), "--metrics-port", String.valueOf(port)));
            String log = hub.awaitLog(Pattern.compile("listening for IKE on "), Duration.ofSeconds(30));
            assertThat(log).contains("; metrics on http://127.0.0.1:" + port + "/metrics");

            spokeUp(t, work);
            assertTunnelUp(scrape(t.hub(), new InetSocketAddress("127.0.0.1", port)), "vpnrouter run");

            hub.stop(Duration.ofSeconds(15)); // SIGTERM: the endpoint goes with the router
            assertThat(hub.awaitExit(Duration.ofSeconds(1))).as(hub.logTail(20)).isZero();
            assertThat(t.hub().call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                    return "still listening";
                } catch (IOException e) {
                    return "closed";
                }
            })).isEqualTo("closed");
        }
    }
}
