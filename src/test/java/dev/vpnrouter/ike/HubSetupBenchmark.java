package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.SimRouter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Main Mode + Quick Mode setups per second of the seed hub engine (3DES/SHA1/modp1024, ESP 3DES/SHA1) from
 * distinct spoke addresses, in memory. Only the hub's CPU time counts: the spokes are the load generator.
 *
 * <pre>
 * ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes dev.vpnrouter.ike.HubSetupBenchmark 2000
 * </pre>
 */
public final class HubSetupBenchmark {
    public static void main(String[] args) {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int round = 1; round <= rounds; round++) {
            run(peers, round);
        }
    }

    private static void run(int peers, int round) {
        int hubAddress = Ipv4.parse("203.0.113.2");
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), hubAddress, SimRouter.seededRandom(round));
        List<IkeEngine> spokes = new ArrayList<>(peers);
        int base = Ipv4.parse("100.64.0.0");
        for (int i = 0; i < peers; i++) {
            int addr = base + i + 1;
            int net = Ipv4.parse("10.128.0.0") + (i << 8);
            String acl = Ipv4.format(net) + " 255.255.255.0 10.1.0.0 255.255.0.0";
            spokes.add(new IkeEngine(TestPolicy.seedSpoke(hubAddress, acl), addr,
                    SimRouter.seededRandom(1000L * round + i)));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long now = 0;
        ArrayDeque<Datagram> toHub = new ArrayDeque<>();
        for (IkeEngine s : spokes) {
            s.connectAll(now);
            collect(s.drain(), toHub);
        }
        long hubCpu = 0;
        long wallStart = System.nanoTime();
        int byAddressBase = base + 1;
        while (!toHub.isEmpty()) {
            List<IkeEffect> hubOut = new ArrayList<>();
            long t0 = mx.getCurrentThreadCpuTime();
            while (!toHub.isEmpty()) {
                hub.receive(toHub.poll(), now);
                hubOut.addAll(hub.drain());
            }
            hubCpu += mx.getCurrentThreadCpuTime() - t0;
            for (IkeEffect e : hubOut) {
                if (e instanceof IkeEffect.Send s) {
                    IkeEngine spoke = spokes.get(s.datagram().dst() - byAddressBase);
                    spoke.receive(s.datagram(), now);
                    collect(spoke.drain(), toHub);
                }
            }
        }
        long wall = System.nanoTime() - wallStart;
        int up = hub.childSas().size();
        // Heap the hub keeps per tunnel: drop the spokes, let exchanges linger out, collect, compare.
        spokes.clear();
        hub.tick(now + 61_000);
        hub.drain();
        long heap = usedHeapAfterGc();
        hub.counters(); // keep the hub reachable until after the measurement
        System.out.printf("round %d: hub heap %.1f MiB in use with %d tunnels (incl. JVM baseline)%n", round,
                heap / 1048576.0, up);
        System.out.printf("round %d: %d peers, %d child SAs up, hub CPU %.3f s -> %.0f setups/s (one core); "
                + "wall incl. spokes %.2f s%n", round, peers, up, hubCpu / 1e9, up / (hubCpu / 1e9), wall / 1e9);
        if (up != peers) {
            throw new IllegalStateException("only " + up + " of " + peers + " came up");
        }
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static void collect(List<IkeEffect> effects, ArrayDeque<Datagram> out) {
        for (IkeEffect e : effects) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram());
            }
        }
    }
}
