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
 * java -cp target/classes:target/test-classes:PICOCLI_JAR dev.vpnrouter.ike.HubHeapBenchmark 20000 [dataplane] [clients]
 * </pre>
 */
public final class HubHeapBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int hubAddress = Ipv4.parse("203.0.113.2");
        List<String> flags = List.of(args).subList(Math.min(1, args.length), args.length);
        boolean withDataPlane = flags.contains("dataplane");
        // Remote-access tunnels: Aggressive Mode + Xauth + Mode Config + Quick Mode, one pool address each.
        boolean clients = flags.contains("clients");
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.pools.put("ippool", dev.vpnrouter.ike.cfg.AddressPoolConfig.of("ippool", Ipv4.parse("10.64.0.1"),
                Ipv4.parse("10.64.0.1") + n));
        IkeEngine hub = new IkeEngine(hubPolicy, hubAddress, SimRouter.seededRandom(1));
        dev.vpnrouter.dataplane.DataPlane dataPlane = new dev.vpnrouter.dataplane.DataPlane(
                TestPolicy.seedHub().cryptoMap(), dev.vpnrouter.dataplane.DataPlaneConfig.defaults(
                Ipv4.parse("10.1.1.1")), SimRouter.seededRandom(2));
        long before = HubSetupBenchmark.usedHeapAfterGc();
        int base = Ipv4.parse("100.64.0.0");
        for (int i = 0; i < n; i++) {
            int net = Ipv4.parse("10.128.0.0") + (i << 8);
            IkeEngine spoke;
            if (clients) {
                spoke = new IkeEngine(TestPolicy.client(), base + i + 1, SimRouter.seededRandom(10L + i));
                spoke.connectClient(dev.vpnrouter.ike.cfg.VpnClientProfile.of(hubAddress, "testgroup",
                        "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "gfullage", "gfullage"), 0);
            } else {
                spoke = new IkeEngine(TestPolicy.seedSpoke(hubAddress, Ipv4.format(net)
                        + " 255.255.255.0 10.1.0.0 255.255.0.0"), base + i + 1, SimRouter.seededRandom(10L + i));
                spoke.connectAll(0);
            }
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
                (clients ? "VPN clients, " : "LAN-to-LAN, ") + (withDataPlane ? "engine + data plane"
                        : "engine only"), tunnels, dataPlane.saCount(),
                before / 1048576.0, after / 1048576.0, (after - before) / (double) tunnels);
        if (flags.contains("hold")) { // time for `jcmd PID GC.class_histogram`
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println(hub.ikeSaCount() + " " + dataPlane.saCount());
        }
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
