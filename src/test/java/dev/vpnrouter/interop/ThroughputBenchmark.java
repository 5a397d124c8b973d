package dev.vpnrouter.interop;

import dev.vpnrouter.router.RouterRuntime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TCP stream with iperf3 from the spoke LAN host to the hub LAN host, through our hub and our spoke (seed
 * configs, a chosen transform set) in raw ESP (what two routers with no NAT between them negotiate) and in ESP in
 * UDP (forced on our spoke: the transport strongSwan's kernel-libipsec is limited to), then through a strongSwan
 * pair (the same ESP suite, {@code encap = yes}) in the same run and topology. A benchmark, not a test: root,
 * strongSwan and iperf3 required. Run it with {@code scripts/throughput.sh [seconds] [suite...]} (suites: gcm128
 * aes128-sha1 3des-sha1).
 *
 * <p>Options: {@code -Dbench.modes=raw,udp} (default both) picks our transports;
 * {@code -Dvpnrouter.tun.offloads=false} turns the TUN offloads (TSO split, GSO coalescing) off.
 */
public final class ThroughputBenchmark {
    public record Suite(String name, String ios, String strongSwan) {
    }

    public static final List<Suite> SUITES = List.of(
            new Suite("gcm128", "esp-gcm", "aes128gcm16"),
            new Suite("aes128-sha1", "esp-aes esp-sha-hmac", "aes128-sha1"),
            new Suite("3des-sha1", "esp-3des esp-sha-hmac", "3des-sha1"));

    /** Our transports to measure: {@code raw} (protocol 50) and {@code udp} (forced ESP in UDP 4500). */
    static final List<String> MODES = List.of(System.getProperty("bench.modes", "raw,udp").split(","));

    public static void main(String[] args) throws Exception {
        Prerequisites.require("ip", "charon", "swanctl", "nsenter", "iperf3", "dnsmasq", "udhcpc");
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> wanted = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        for (Suite suite : SUITES) {
            if (!wanted.isEmpty() && !wanted.contains(suite.name())) {
                continue;
            }
            double raw = MODES.contains("raw") ? ours(suite, seconds, false) : 0;
            double udp = MODES.contains("udp") ? ours(suite, seconds, true) : 0;
            double theirs = strongSwan(suite, seconds);
            System.out.printf(Locale.ROOT, "%-12s vpnrouter raw ESP %7.1f Mbit/s   ESP in UDP %7.1f Mbit/s   "
                    + "strongSwan (ESP in UDP) %7.1f Mbit/s   ratio %.2f (raw) %.2f (UDP)%n", suite.name(), raw, udp,
                    theirs, theirs == 0 ? 0 : raw / theirs, theirs == 0 ? 0 : udp / theirs);
        }
    }

    static String config(String name, Suite suite) throws Exception {
        return EngineStrongSwanInteropTest.seed(name).replace("esp-3des esp-sha-hmac", suite.ios());
    }

    public static double ours(Suite suite, int seconds, boolean forceUdp) throws Exception {
        Path work = Topology.workDir("throughput-ours-" + suite.name() + (forceUdp ? "-udp-" : "-raw-")
                + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            List<String> log = new CopyOnWriteArrayList<>();
            RouterRuntime hub = t.own(EngineStrongSwanInteropTest.startOurs(t.hub(),
                    EngineStrongSwanInteropTest.policy(config("hub.cfg", suite)), Topology.HUB_OUTSIDE, null, log));
            var hubEsp = EngineStrongSwanInteropTest.startEsp(t, t.hub(), hub, Topology.HUB_INSIDE, log);
            var spokePolicy = EngineStrongSwanInteropTest.policy(config("spoke.cfg", suite));
            RouterRuntime spoke = t.own(t.spoke().call(() -> RouterRuntime.start(
                    dev.vpnrouter.common.Ipv4.parse(t.spokeOutside()), a -> {
                        var engine = new dev.vpnrouter.ike.IkeEngine(spokePolicy, a, new java.security.SecureRandom());
                        if (forceUdp) {
                            engine.forceUdpEncapsulation(dev.vpnrouter.common.Ipv4.parse(Topology.HUB_OUTSIDE));
                        }
                        return engine;
                    }, null, log::add)));
            var spokeEsp = EngineStrongSwanInteropTest.startEsp(t, t.spoke(), spoke, Topology.SPOKE_INSIDE, log);
            t.spokeHost().ping(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));
            long cpuBefore = cpuTicks(ProcessHandle.current().pid());
            double mbits = iperf(t, work, seconds);
            long cpu = cpuTicks(ProcessHandle.current().pid()) - cpuBefore;
            System.out.println("  spoke " + spokeEsp.offloadSummary() + "; hub " + hubEsp.offloadSummary());
            report("vpnrouter " + (forceUdp ? "ESP in UDP" : "raw ESP"), mbits, cpu, seconds);
            return mbits;
        }
    }

    static double strongSwan(Suite suite, int seconds) throws Exception {
        Path work = Topology.workDir("throughput-strongswan-" + suite.name() + "-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).build()) {
            StrongSwan hub = t.own(StrongSwan.start(t.hub(), work.resolve("hub"),
                    SeedPeers.hub(Topology.HUB_OUTSIDE).replace("esp_proposals = " + SeedPeers.ESP_PROPOSAL, "esp_proposals = " + suite.strongSwan())));
            StrongSwan spoke = t.own(StrongSwan.start(t.spoke(), work.resolve("spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE).replace("esp_proposals = " + SeedPeers.ESP_PROPOSAL, "esp_proposals = " + suite.strongSwan())));
            spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(30));
            hub.awaitEstablished(SeedPeers.HUB_L2L_CONN, SeedPeers.HUB_L2L_CHILD, Duration.ofSeconds(15));
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));
            long cpuBefore = charonTicks();
            double mbits = iperf(t, work, seconds);
            report("strongSwan", mbits, charonTicks() - cpuBefore, seconds);
            return mbits;
        }
    }

    /**
     * CPU the VPN itself burnt during the run (user + system, softirq work done in its threads included): our JVM
     * (hub and spoke), or both charon processes. Throughput per CPU second is what the box would reach with the
     * cores to itself, the figure that survives a machine shared with other jobs.
     */
    static void report(String who, double mbits, long ticks, int seconds) {
        double cpuSeconds = ticks / 100.0;
        double measured = seconds + 2; // iperf3 -O 2 runs two more seconds
        System.out.printf(Locale.ROOT, "  %s: %.1f Mbit/s, %.1f CPU s in %.0f s (%.2f cores), %.0f Mbit per CPU s%n",
                who, mbits, cpuSeconds, measured, cpuSeconds / measured,
                cpuSeconds == 0 ? 0 : mbits * measured / cpuSeconds);
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
    static long cpuTicks(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    static long charonTicks() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/charon")).orElse(false))
                .mapToLong(p -> cpuTicks(p.pid())).sum();
    }

    static double iperf(Topology t, Path work, int seconds) throws Exception {
        t.own(t.hubHost().start("iperf3-server", work.resolve("iperf3-server.log"),
                List.of("iperf3", "-s", "-1", "-B", Topology.HUB_HOST)));
        Thread.sleep(500);
        var result = t.spokeHost().exec(Duration.ofSeconds(seconds + 25), "iperf3", "-c", Topology.HUB_HOST,
                "-t", String.valueOf(seconds), "-O", "2", "-f", "m");
        String out = result.stdout() + result.stderr() + " exit=" + result.exitCode() + " timedOut=" + result.timedOut();
        Matcher m = Pattern.compile("([0-9.]+) Mbits/sec.*receiver").matcher(out);
        if (!m.find()) {
            System.err.println(out);
            return 0;
        }
        return Double.parseDouble(m.group(1));
    }
}
