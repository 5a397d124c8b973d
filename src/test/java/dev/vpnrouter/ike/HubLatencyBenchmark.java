package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.sim.SimRouter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Setup latency on the hub side under light load: one negotiation at a time, in memory, the hub's own time from
 * the first message in to its last message out (the time the hub spends on each of the tunnel's messages, summed;
 * the peer's time and the network's are not the hub's), as wall time and as the loop thread's CPU time (which a
 * loaded machine's descheduling does not inflate). Two kinds of tunnel from the seed hub:
 * <ul>
 * <li>{@code mm}: LAN-to-LAN Main Mode + Quick Mode (3DES/SHA1/modp1024, ESP 3DES/SHA1);
 * <li>{@code am}: a VPN client, Aggressive Mode + Xauth + Mode Config + Quick Mode (group {@code testgroup}, a local
 * user, a pool address).
 * </ul>
 *
 * <pre>
 * ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes dev.vpnrouter.ike.HubLatencyBenchmark [tunnels] [warm-up]
 * </pre>
 */
public final class HubLatencyBenchmark {
    public static void main(String[] args) {
        int tunnels = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        for (String kind : List.of("mm", "am")) {
            run(kind, warmUp, false);
            long[][] measured = run(kind, tunnels, true);
            long[] nanos = measured[0];
            long[] cpu = measured[1];
            Arrays.sort(nanos);
            Arrays.sort(cpu);
            System.out.printf("%s: %d tunnels one at a time, hub-side setup time: wall p50 %.3f ms, p99 %.3f ms, "
                            + "max %.3f ms; CPU p50 %.3f ms, p99 %.3f ms%n",
                    kind.equals("mm") ? "Main Mode + Quick Mode" : "Aggressive Mode + Xauth + Mode Config + Quick Mode",
                    nanos.length, percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6,
                    nanos[nanos.length - 1] / 1e6, percentile(cpu, 50) / 1e6, percentile(cpu, 99) / 1e6);
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long[][] run(String kind, int tunnels, boolean measured) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        int hubAddress = Ipv4.parse("203.0.113.2");
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.pools.put("ippool", dev.vpnrouter.ike.cfg.AddressPoolConfig.of("ippool", Ipv4.parse("10.64.0.1"),
                Ipv4.parse("10.64.0.1") + tunnels + 1));
        IkeEngine hub = new IkeEngine(hubPolicy, hubAddress, SimRouter.seededRandom(measured ? 2 : 1));
        long[] hubNanos = new long[tunnels];
        long[] hubCpu = new long[tunnels];
        int base = Ipv4.parse("100.64.0.0");
        for (int i = 0; i < tunnels; i++) {
            IkeEngine spoke;
            if (kind.equals("am")) {
                spoke = new IkeEngine(TestPolicy.client(), base + i + 1, SimRouter.seededRandom(10L + i));
                spoke.connectClient(VpnClientProfile.of(hubAddress, "testgroup",
                        "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "gfullage"), 0);
            } else {
                int net = Ipv4.parse("10.128.0.0") + (i << 8);
                spoke = new IkeEngine(TestPolicy.seedSpoke(hubAddress, Ipv4.format(net)
                        + " 255.255.255.0 10.1.0.0 255.255.0.0"), base + i + 1, SimRouter.seededRandom(10L + i));
                spoke.connectAll(0);
            }
            int before = hub.childSas().size();
            ArrayDeque<Datagram> toHub = new ArrayDeque<>(sends(spoke.drain()));
            long spent = 0;
            long spentCpu = 0;
            while (!toHub.isEmpty()) {
                Datagram d = toHub.poll();
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                hub.receive(d, 0);
                List<IkeEffect> out = hub.drain();
                spent += System.nanoTime() - t0;
                spentCpu += mx.getCurrentThreadCpuTime() - c0;
                for (Datagram reply : sends(out)) {
                    spoke.receive(reply, 0);
                    toHub.addAll(sends(spoke.drain()));
                }
            }
            if (hub.childSas().size() != before + 1) {
                throw new IllegalStateException(kind + " tunnel " + i + " did not come up");
            }
            hubNanos[i] = spent;
            hubCpu[i] = spentCpu;
        }
        return new long[][] {hubNanos, hubCpu};
    }

    private static List<Datagram> sends(List<IkeEffect> effects) {
        List<Datagram> out = new ArrayList<>();
        for (IkeEffect e : effects) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram());
            }
        }
        return out;
    }
}
