package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.net.RtNetlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Route add+delete pairs per second in table 4500 of a namespace of its own, the way an SA's route comes and goes:
 * through {@link RtNetlink} one request at a time, through {@link RtNetlink#apply} in batches, and through iproute2's
 * {@code ip} (a process per change, what {@code LinuxDataPlane} did before issue 14). A benchmark, not a test: root
 * required. {@code java ... dev.vpnrouter.interop.RouteChurnBenchmark [netlinkPairs] [ipPairs] [rounds]}.
 */
public final class RouteChurnBenchmark {
    private static final int TABLE = 4500;
    private static final int BASE = Ipv4.parse("10.128.0.0");

    private RouteChurnBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Prerequisites.require("ip");
        int netlinkPairs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int ipPairs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (NetNs ns = NetNs.create("churn")) {
            ns.links().ip("link", "add", "churn0", "type", "veth", "peer", "name", "churn1");
            ns.links().up("churn0");
            ns.links().up("churn1");
            String ip = Command.find("ip");
            try (RtNetlink netlink = ns.call(RtNetlink::open)) {
                int dev = netlink.linkIndex("churn0");
                for (int round = 1; round <= rounds; round++) {
                    double single = single(netlink, dev, netlinkPairs);
                    double batched64 = batched(netlink, dev, netlinkPairs, 64);
                    double batched1000 = batched(netlink, dev, netlinkPairs, 1000);
                    double forked = forked(ip, ns.name(), ipPairs);
                    System.out.printf(Locale.ROOT, "round %d: netlink one at a time %,.0f pairs/s (%.1f us/pair); "
                            + "batches of 64 %,.0f pairs/s; batches of 1000 %,.0f pairs/s; ip %,.0f pairs/s "
                            + "(%.2f ms/pair); netlink/ip %.0fx%n", round, single, 1e6 / single, batched64,
                            batched1000, forked, 1e3 / forked, single / forked);
                    if (!netlink.routes(TABLE).isEmpty()) {
                        throw new AssertionError("table " + TABLE + " not empty after round " + round);
                    }
                }
            }
        }
    }

    private static RtNetlink.Route route(int i, int dev) {
        return RtNetlink.Route.dev(BASE + ((i & 0xffff) << 8), 24, dev, TABLE);
    }

    /** Each pair: one add, then its delete, each a request with its own ACK (an SA coming, then going). */
    private static double single(RtNetlink netlink, int dev, int pairs) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            RtNetlink.Route r = route(i, dev);
            netlink.addRoute(r);
            netlink.deleteRoute(r);
        }
        return pairs / ((System.nanoTime() - t0) / 1e9);
    }

    /** {@code size} adds in one apply, then their deletes in another. */
    private static double batched(RtNetlink netlink, int dev, int pairs, int size) throws Exception {
        List<RtNetlink.RouteChange> adds = new ArrayList<>(size);
        List<RtNetlink.RouteChange> deletes = new ArrayList<>(size);
        long t0 = System.nanoTime();
        for (int done = 0; done < pairs; done += size) {
            adds.clear();
            deletes.clear();
            for (int i = done; i < Math.min(pairs, done + size); i++) {
                adds.add(RtNetlink.RouteChange.add(route(i, dev)));
                deletes.add(RtNetlink.RouteChange.delete(route(i, dev)));
            }
            if (!netlink.apply(adds).isEmpty() || !netlink.apply(deletes).isEmpty()) {
                throw new AssertionError("a batch was refused");
            }
        }
        return pairs / ((System.nanoTime() - t0) / 1e9);
    }

    /** Each pair: {@code ip -n NS route add ... table 4500}, then {@code ip -n NS route del ...}. */
    private static double forked(String ip, String ns, int pairs) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            String prefix = Ipv4.format(BASE + ((i & 0xffff) << 8)) + "/24";
            Command.run(java.time.Duration.ofSeconds(10), ip, "-n", ns, "route", "add", prefix, "dev", "churn0",
                    "table", Integer.toString(TABLE)).check();
            Command.run(java.time.Duration.ofSeconds(10), ip, "-n", ns, "route", "del", prefix, "dev", "churn0",
                    "table", Integer.toString(TABLE)).check();
        }
        return pairs / ((System.nanoTime() - t0) / 1e9);
    }
}
