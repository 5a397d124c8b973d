package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.SimRouter;

import java.util.ArrayList;
import java.util.List;

/**
 * Heap the seed hub's engine keeps per LAN-to-LAN tunnel (one ISAKMP SA + one IPsec SA pair), measured as the
 * difference in used heap after GC with N and with 0 tunnels up. Spokes are driven one at a time and dropped.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:PICOCLI_JAR dev.vpnrouter.ike.HubHeapBenchmark 20000 [dataplane]
 * </pre>
 */
public final class HubHeapBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int hubAddress = Ipv4.parse("203.0.113.2");
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), hubAddress, SimRouter.seededRandom(1));
        boolean withDataPlane = args.length > 1 && args[1].equals("dataplane");
        dev.vpnrouter.dataplane.DataPlane dataPlane = new dev.vpnrouter.dataplane.DataPlane(
                TestPolicy.seedHub().cryptoMap(), dev.vpnrouter.dataplane.DataPlaneConfig.defaults(
                Ipv4.parse("10.1.1.1")), SimRouter.seededRandom(2));
        long before = HubSetupBenchmark.usedHeapAfterGc();
        int base = Ipv4.parse("100.64.0.0");
        for (int i = 0; i < n; i++) {
            int net = Ipv4.parse("10.128.0.0") + (i << 8);
            IkeEngine spoke = new IkeEngine(TestPolicy.seedSpoke(hubAddress, Ipv4.format(net)
                    + " 255.255.255.0 10.1.0.0 255.255.0.0"), base + i + 1, SimRouter.seededRandom(10L + i));
            spoke.connectAll(0);
            List<Datagram> pending = sends(spoke.drain());
            while (!pending.isEmpty()) {
                List<Datagram> next = new ArrayList<>();
                for (Datagram d : pending) {
                    hub.receive(d, 0);
                    List<IkeEffect> effects = hub.drain();
                    if (withDataPlane) {
                        for (IkeEffect e : effects) {
                            dataPlane.apply(e, 0);
                        }
                    }
                    for (Datagram reply : sends(effects)) {
                        spoke.receive(reply, 0);
                        next.addAll(sends(spoke.drain()));
                    }
                }
                pending = next;
            }
        }
        hub.tick(61_000); // finished Quick Mode exchanges linger 60 s for retransmissions, then go
        hub.drain();
        long after = HubSetupBenchmark.usedHeapAfterGc();
        int tunnels = hub.childSas().size();
        System.out.printf("%s: %d tunnels up (data plane holds %d SAs); hub heap %.1f MiB -> %.1f MiB: %.0f bytes per tunnel%n",
                withDataPlane ? "engine + data plane" : "engine only", tunnels, dataPlane.saCount(),
                before / 1048576.0, after / 1048576.0, (after - before) / (double) tunnels);
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
