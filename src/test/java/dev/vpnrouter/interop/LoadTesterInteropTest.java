package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.net.RtNetlink;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: strongSwan's load-tester (built by {@code scripts/loadtest.sh --build-only}, which {@code .ci/run} runs
 * first) brings up 200 IKEv1 Main Mode PSK tunnels, each from its own source address and with a network of its own,
 * against our hub (the seed hub.cfg, renumbered) with {@code ike_rekey = 0}: the load-tester then proposes
 * Life-Duration 0 for every ISAKMP SA. All 200 CHILD_SAs must come up, the hub must route each initiator's network
 * into its TUN, and no program may be started by the hub while they come up (routes go through rtnetlink; {@link
 * Command#started()} counts every program the JVM starts, and the hub runs in this JVM). 30 s later every SA is
 * still up on both sides, with our policy's lifetime, and no Delete went to the load-tester.
 */
@Interop
@org.junit.jupiter.api.Tag("load")
class LoadTesterInteropTest {
    private static final int TUNNELS = 200;
    private static final Duration HOLD = Duration.ofSeconds(30);
    private static final String HUB_OUT = "192.0.2.1";
    private static final String LOAD_OUT = "192.0.2.2";
    private static final String HUB_IN = "203.0.113.1";
    /** RFC 2544's benchmarking block: sources 198.18.0.0/16, the initiators' networks 198.19.0.1/32 onwards. */
    private static final String SOURCES = "198.18.0.0/16";
    private static final int FIRST_NET = Ipv4.parse("198.19.0.1");
    private static final Pattern CHILD_UP = Pattern.compile("CHILD_SA load-test\\{\\d+} established");

    @Test
    @Timeout(300)
    void twoHundredInitiatorsWithZeroLifetimeStayUpAndNoProcessIsStarted() throws Exception {
        Prerequisites.require("ip", "nsenter");
        Path charon = loadTesterCharon();
        Path work = Topology.workDir("load-tester-" + ProcessHandle.current().pid());
        List<String> debug = new CopyOnWriteArrayList<>();
        try (NetNs.Pair pair = NetNs.Pair.linked("hub", HUB_OUT + "/24", "load", LOAD_OUT + "/24", "lt0")) {
            NetNs hubNs = pair.left();
            NetNs loadNs = pair.right();
            hubNs.defaultRoute(LOAD_OUT);
            String config = Files.readString(Path.of("examples/seed/hub.cfg"))
                    .replace("10.48.67.181 255.255.255.224", HUB_OUT + " 255.255.255.0")
                    .replace("10.1.1.1 255.255.254.0", HUB_IN + " 255.255.255.0")
                    .replace("ip route 0.0.0.0 0.0.0.0 10.48.66.181", "ip route 0.0.0.0 0.0.0.0 " + LOAD_OUT);
            assertThat(config).contains("ip address " + HUB_OUT + " 255.255.255.0");
            try (RouterRuntime hub = EngineStrongSwanInteropTest.startOurs(hubNs,
                    EngineStrongSwanInteropTest.policy(config), HUB_OUT, null, debug);
                 LinuxDataPlane esp = hubNs.call(() -> LinuxDataPlane.start(hub, "vpnr0", Ipv4.parse(HUB_IN),
                         debug::add));
                 RtNetlink hubRoutes = hubNs.call(RtNetlink::open)) {
                // The router's messages (IKMP_LIFETIME_IGNORED among them) go to message listeners, not debug.
                hub.addMessageListener(m -> debug.add(m.format()));
                int tun = hubRoutes.linkIndex(esp.tunName());
                Path dir = work.resolve("load-tester");
                Path log = writeLoadTesterConf(dir);

                long started = Command.started();
                // The load-tester starts initiating as soon as it runs: DIR/run over its build-time pid directory.
                Path pidDir = charon.getParent().getParent().getParent().resolve("run");
                Daemon loadTester = loadNs.start("load-tester", dir.resolve("charon.stdout"), List.of("sh", "-c",
                        "mount --bind " + dir.resolve("run") + " " + pidDir + " && exec " + charon),
                        Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()));

                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (hub.query(e -> e.childSas().size()) < TUNNELS || countChildrenUp(log) < TUNNELS) {
                    if (!loadTester.isAlive()) {
                        throw new AssertionError("the load-tester exited:\n" + loadTester.logTail(20) + "\n"
                                + tail(log, 40));
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("after 180 s our hub holds " + hub.query(e -> e.childSas().size())
                                + " IPsec SAs, the load-tester reports " + countChildrenUp(log) + " of " + TUNNELS
                                + "\n--- load-tester log (tail) ---\n" + tail(log, 40)
                                + "\n--- our hub (tail) ---\n" + lastLines(debug, 40));
                    }
                    Thread.sleep(200);
                }
                assertThat(Command.started()).as("programs the hub started while 200 SAs came up")
                        .isEqualTo(started);
                assertThat(initiatorRoutes(hubRoutes, tun)).as("each initiator's network routed into the TUN")
                        .isEqualTo(TUNNELS);
                long ikeUp = hub.query(e -> e.ikeSas().stream().filter(IkeSaView::established).count());
                assertThat(ikeUp).as("ISAKMP SAs up").isEqualTo(TUNNELS);

                Thread.sleep(HOLD.toMillis());

                long now = System.currentTimeMillis();
                List<Long> remaining = hub.query(e -> e.ikeSas().stream().filter(IkeSaView::established)
                        .map(sa -> sa.remainingSeconds(now)).toList());
                assertThat(remaining).as("ISAKMP SAs still up %s s after Life-Duration 0", HOLD.toSeconds())
                        .hasSize(TUNNELS);
                // Life-Duration 0 is not "expire now": the SA gets our policy's lifetime (IOS's default 86,400 s).
                assertThat(remaining).as("remaining ISAKMP lifetimes").allMatch(s -> s > 86_400 - 120);
                int childrenHeld = hub.query(e -> e.childSas().size());
                assertThat(childrenHeld).as("IPsec SAs still up").isEqualTo(TUNNELS);
                assertThat(initiatorRoutes(hubRoutes, tun)).as("routes still in place").isEqualTo(TUNNELS);
                String loadLog = Files.readString(log);
                assertThat(countChildrenUp(log)).as("CHILD_SAs the load-tester established").isEqualTo(TUNNELS);
                assertThat(loadLog).as("the load-tester's log").doesNotContain("received DELETE")
                        .doesNotContain("giving up after");
                assertThat(loadTester.isAlive()).isTrue();
                assertThat(debug).noneMatch(l -> l.contains("route change failed"));
                // The case under test really happened: every initiator proposed Life-Duration 0 (said once per peer).
                assertThat(debug.stream().filter(l -> l.contains("IKMP_LIFETIME_IGNORED")
                        && l.contains("phase 1 lifetime of 0 seconds")).count())
                        .as("peers whose Life-Duration 0 our hub replaced by its own lifetime").isEqualTo(TUNNELS);
                assertThat(Command.started()).as("programs started while the SAs were held").isEqualTo(started);
                loadTester.stop(Duration.ofSeconds(5));
            }
        }
    }

    /** strongSwan's charon with the load-tester plugin, as {@code scripts/loadtest.sh --build-only} builds it. */
    static Path loadTesterCharon() throws IOException {
        Path linked = Path.of("target", "loadtester", "libexec", "ipsec", "charon").toAbsolutePath();
        if (Files.isExecutable(linked)) {
            return linked.toRealPath();
        }
        Path cache = Path.of(System.getenv().getOrDefault("VPNROUTER_LOADTESTER_CACHE",
                "/var/cache/vpnrouter-loadtester"));
        if (Files.isDirectory(cache)) {
            try (Stream<Path> builds = Files.list(cache)) {
                List<Path> complete = builds.filter(d -> Files.exists(d.resolve(".complete")))
                        .map(d -> d.resolve("libexec/ipsec/charon")).filter(Files::isExecutable).sorted().toList();
                if (!complete.isEmpty()) {
                    return complete.getLast().toRealPath();
                }
            }
        }
        throw new AssertionError("interop test needs strongSwan's load-tester, not built here: run "
                + "`sudo scripts/loadtest.sh --build-only` (builds it once from Debian's source package into "
                + cache + "; .ci/run does this before the Maven run)");
    }

    /** strongswan.conf for 200 initiators with ike_rekey = 0, as scripts/loadtest.sh writes it; returns the log. */
    private static Path writeLoadTesterConf(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Path log = dir.resolve("charon.log");
        Files.deleteIfExists(log);
        Files.writeString(dir.resolve("strongswan.conf"), """
                charon {
                  load = load-tester random nonce openssl kernel-netlink socket-default
                  threads = 32
                  ikesa_table_size = 1024
                  ikesa_table_segments = 16
                  plugins {
                    load-tester {
                      enable = yes
                      version = 1
                      initiators = 4
                      iterations = %d
                      delay = 1
                      init_limit = 100
                      responder = %s
                      proposal = 3des-sha1-modp1024
                      esp = 3des-sha1
                      initiator_auth = psk
                      responder_auth = psk
                      preshared_key = cisco123
                      initiator_id = %%%%any
                      responder_id = %%%%any
                      initiator_tsi_base = %s/32
                      initiator_tsr = %s/24
                      ike_rekey = 0
                      child_rekey = 1800
                      fake_kernel = yes
                      addrs { lt0 = %s }
                      addrs_prefix = 32
                      addrs_keep = yes
                    }
                  }
                  filelog {
                    load { path = %s
                      time_format = %%H:%%M:%%S
                      time_add_ms = yes
                      flush_line = yes
                      default = 0
                      ike = 1
                      cfg = 0 }
                  }
                  syslog { daemon { default = -1 } }
                }
                """.formatted(TUNNELS / 4, HUB_OUT, Ipv4.format(FIRST_NET), HUB_IN.replaceAll("\\.1$", ".0"),
                SOURCES, log));
        return log;
    }

    private static long countChildrenUp(Path log) {
        try {
            if (!Files.exists(log)) {
                return 0;
            }
            Matcher m = CHILD_UP.matcher(Files.readString(log));
            long n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Routes into our TUN in the peer table for the initiators' /32 networks. */
    private static long initiatorRoutes(RtNetlink netlink, int tun) {
        try {
            return netlink.routes(LinuxDataPlane.PEER_TABLE).stream()
                    .filter(r -> r.ifindex() == tun && r.prefixLength() == 32
                            && Integer.compareUnsigned(r.network() - FIRST_NET, TUNNELS) < 0)
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log, int lines) {
        try {
            return Files.exists(log) ? Daemon.tail(Files.readString(log), lines) : "(no " + log + ")";
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    private static String lastLines(List<String> lines, int n) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }
}
