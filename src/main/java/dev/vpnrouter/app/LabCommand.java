package dev.vpnrouter.app;

import dev.vpnrouter.net.Libc;
import dev.vpnrouter.sim.ClusterLab;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.LabProgress;
import dev.vpnrouter.sim.HubHeap;
import dev.vpnrouter.sim.SeedLab;
import dev.vpnrouter.sim.SimRadiusServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vpnrouter lab}: the seed topology in one process; exit 0 when everything the seed promises held. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run the seed topology (hub, DHCP spokes, LAN hosts) in one process on a simulated network "
                + "with a virtual clock, show what happens, and check what the seed promises.")
final class LabCommand implements Callable<Integer> {
    @Option(names = "--hub", paramLabel = "FILE", description = "hub configuration (default: the seed's hub.cfg)")
    Path hub;

    @Option(names = "--spoke", paramLabel = "FILE", description = "spoke configuration (default: the seed's spoke.cfg)")
    Path spoke;

    @Option(names = "--spokes", paramLabel = "N", description = "number of spokes, LANs renumbered (default: 1)")
    int spokes = 1;

    @Option(names = "--clients", paramLabel = "M",
            description = "number of VPN clients (group and user from the hub config; default: 1)")
    int clients = 1;

    @Option(names = "--hubs", paramLabel = "N", description = "a cluster of N hubs (N >= 2) with the hub config "
            + "on addresses of their own, Xauth, addresses and accounting through an in-process RADIUS/IPAM "
            + "stand-in; --clients spread over them; then the first hub is killed and its clients must come back "
            + "through another with their address (default: 1, the seed lab)")
    int hubs = 1;

    @Option(names = "--seed", paramLabel = "S", description = "random seed: same seed, same run (default: 1)")
    long seed = 1;

    @Option(names = "--loss", paramLabel = "P", description = "packet loss in percent")
    double loss;

    @Option(names = "--dup", paramLabel = "P", description = "packet duplication in percent")
    double dup;

    @Option(names = "--reorder", paramLabel = "P", description = "packet reordering in percent")
    double reorder;

    @Option(names = "--latency", paramLabel = "MS", description = "one-way latency in ms (default: 5)")
    long latency = 5;

    @Option(names = "--duration", paramLabel = "D", description = "virtual time to keep running, e.g. 24h, 90m, 30s")
    String duration;

    @Option(names = "--debug", description = "print the routers' debug crypto isakmp/ipsec lines")
    boolean debug;

    @Option(names = "--interactive", description = "afterwards, an exec prompt on the simulated routers: "
            + "'hub show crypto isakmp sa', 'spoke show ip interface', ...")
    boolean interactive;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        long durationMillis;
        try {
            durationMillis = duration == null ? 0 : parseDuration(duration);
        } catch (IllegalArgumentException e) {
            System.err.println("vpnrouter lab: " + e.getMessage());
            return 2;
        }
        if (spokes < 1 || clients < 0) {
            System.err.println("vpnrouter lab: --spokes must be at least 1 and --clients at least 0");
            return 2;
        }
        FaultModel faults;
        try {
            faults = new FaultModel(loss / 100, dup / 100, reorder / 100, latency);
        } catch (IllegalArgumentException e) {
            System.err.println("vpnrouter lab: " + e.getMessage());
            return 2;
        }
        if (hubs > 1) {
            return cluster(faults);
        }
        if (hubs < 1) {
            System.err.println("vpnrouter lab: --hubs must be at least 1");
            return 2;
        }
        long wallStart = System.nanoTime();
        SeedLab.Options options = new SeedLab.Options(text(hub, "hub.cfg"), text(spoke, "spoke.cfg"), spokes, clients,
                seed,
                faults, durationMillis, debug);
        // The progress line is for a person watching: not in a log file or a pipe (fd 2 is stderr).
        LabProgress progress = new LabProgress(System.err, Libc.isatty(2), System::nanoTime);
        SeedLab lab = new SeedLab(options, out).withProgress(progress);
        SeedLab.Outcome outcome = lab.run();
        out.println("Summary");
        out.printf(Locale.ROOT, "  %-22s %d/%d%n", "tunnels up", outcome.tunnelsUp(), outcome.tunnelsExpected());
        out.printf(Locale.ROOT, "  %-22s %d%n", "negotiations (hub)", outcome.negotiations());
        out.printf(Locale.ROOT, "  %-22s %d%n", "retransmits", outcome.retransmits());
        out.printf(Locale.ROOT, "  %-22s %d/%d%n", "pings answered", outcome.pingsAnswered(), outcome.pingsSent());
        out.printf(Locale.ROOT, "  %-22s %d sent, %d lost%n", "packets on the wire", outcome.packetsSent(),
                outcome.packetsLost());
        if (outcome.poolSize() > 0) {
            out.printf(Locale.ROOT, "  %-22s %d of %d addresses%n", "pool in use", outcome.poolInUse(),
                    outcome.poolSize());
        }
        out.printf(Locale.ROOT, "  %-22s %.1f s%n", "virtual time", outcome.virtualMillis() / 1000.0);
        Runtime rt = Runtime.getRuntime();
        // Wall time and heap vary from run to run: they go to stderr so stdout stays identical for a seed.
        System.err.printf(Locale.ROOT, "  %-22s %.2f s%n  %-22s %d MiB%n", "wall time",
                (System.nanoTime() - wallStart) / 1e9, "heap used", (rt.totalMemory() - rt.freeMemory()) >> 20);
        if (outcome.ok()) {
            out.println("OK: everything the seed promises held.");
        } else {
            for (String f : outcome.failures()) {
                out.println("FAILED: " + f);
            }
        }
        boolean heapOk = true;
        if (!interactive && spokes >= HubHeap.MIN_SPOKES && lab.hub() != null) {
            // Last, because it empties the hub; on stderr, because it varies from run to run.
            HubHeap.Measurement heap = HubHeap.measure(lab.hub(), outcome.virtualMillis());
            heapOk = heap.withinBound();
            System.err.printf(Locale.ROOT, "  %-22s %.0f bytes per tunnel (%d tunnels, %d MiB with them, %d MiB "
                    + "without)%s%n", "hub heap", heap.bytesPerTunnel(), heap.tunnels(), heap.withTunnels() >> 20,
                    heap.withoutTunnels() >> 20, heapOk ? "" : ": FAILED, above " + HubHeap.MAX_BYTES_PER_TUNNEL);
        }
        if (interactive && lab.hub() != null) {
            new LabPrompt(lab, new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    StandardCharsets.UTF_8)), out).run();
        }
        return outcome.ok() && heapOk ? 0 : 1;
    }

    /** {@code --hubs N}: the cluster, its figures, exit 1 when a promise failed. */
    private int cluster(FaultModel faults) throws IOException {
        if (spokes != 1 || duration != null || interactive || debug) {
            System.err.println("vpnrouter lab: --hubs runs VPN clients only: no --spokes, --duration, --interactive "
                    + "or --debug with it");
            return 2;
        }
        if (clients < 1) {
            System.err.println("vpnrouter lab: --hubs needs --clients of at least 1");
            return 2;
        }
        PrintStream out = System.out;
        ClusterLab.Outcome o = new ClusterLab(new ClusterLab.Options(text(hub, "hub.cfg"), hubs, clients, seed, faults,
                true), out).run();
        out.println("Summary");
        out.printf(Locale.ROOT, "  %-26s %d/%d%n", "clients up", o.clientsUp(), o.clients());
        out.printf(Locale.ROOT, "  %-26s %d/%d%n", "back with their address", o.movedBack(), o.moved());
        out.printf(Locale.ROOT, "  %-26s %.1f s%n", "bring-up (virtual)", o.bringUpVirtualMillis() / 1000.0);
        out.printf(Locale.ROOT, "  %-26s %.1f s%n", "time to converge (virtual)", o.convergeVirtualMillis() / 1000.0);
        SimRadiusServer.Counters r = o.radius();
        out.printf(Locale.ROOT, "  %-26s %d accepted (%d with the user's leased address), %d rejected: %d "
                + "Simultaneous-Use, %d password, %d pool%n", "RADIUS logins", r.accepts, r.addressesReturned,
                r.rejectedSimultaneousUse + r.rejectedPassword + r.rejectedPoolExhausted, r.rejectedSimultaneousUse,
                r.rejectedPassword, r.rejectedPoolExhausted);
        out.printf(Locale.ROOT, "  %-26s %d Start, %d Interim, %d Stop; %d stale sessions closed; %d logins of a "
                + "client moving from another hub%n", "RADIUS accounting", r.starts, r.interims, r.stops,
                r.staleSessionsClosed, r.movedClients);
        // Wall time and heap vary from run to run: stderr, so stdout stays identical for a seed.
        System.err.printf(Locale.ROOT, "  %-26s %.1f s wall, %.1f s CPU: %.0f logins per CPU second%n"
                + "  %-26s %.1f s wall, %.1f s CPU: %d logins%n  %-26s %d MiB (after a full GC, the cluster alive)%n",
                "bring-up", o.bringUp().wallSeconds(), o.bringUp().cpuSeconds(),
                o.clientsUp() / Math.max(1e-9, o.bringUp().cpuSeconds()),
                "converge", o.converge().wallSeconds(), o.converge().cpuSeconds(), o.loginsAfterKill(),
                "heap used", o.heapBytes() >> 20);
        if (o.ok()) {
            out.println("OK: every client up with an address no other holds, and every client of the dead hub back "
                    + "with its address.");
        } else {
            for (String f : o.failures()) {
                out.println("FAILED: " + f);
            }
        }
        return o.ok() ? 0 : 1;
    }

    private static String text(Path file, String seedName) throws IOException {
        if (file != null) {
            return Files.readString(file);
        }
        try (InputStream in = LabCommand.class.getResourceAsStream("/seed/" + seedName)) {
            if (in == null) {
                throw new IOException("the seed's " + seedName + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String number;
        if (t.endsWith("ms")) {
            unit = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("h")) {
            unit = 3_600_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("s")) {
            unit = 1_000;
            number = t.substring(0, t.length() - 1);
        } else {
            unit = 1_000;
            number = t;
        }
        try {
            long n = Long.parseLong(number);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration " + text + ": expected a number with h, m, s or ms");
        }
    }
}
