package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.ClientGroup;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vpnrouter lab --hubs N}: a cluster of N hubs running the seed hub's configuration on addresses of their
 * own, sharing users, addresses and sessions through a RADIUS/IPAM stand-in ({@link SimRadiusServer}, in place of
 * FreeRADIUS on PostgreSQL) that they ask over the simulated internet with the real RADIUS client. VPN clients are
 * spread over the hubs, each with a user of its own. Then one hub is killed (it stops answering, and its sessions are
 * never Stopped); its clients find it dead by DPD and move to a backup gateway from Mode Config, log in again and
 * must get their address back. Promised: every client up with one address no other client holds, before and after
 * the kill, and every client of the dead hub back on another with its address.
 */
public final class ClusterLab {
    /** Everything a run can be told. */
    public record Options(String hubConfig, int hubs, int clients, long seed, FaultModel faults, boolean killHub) {
    }

    /** What held, and the figures. */
    public record Outcome(List<String> failures, int clientsUp, int clients, int movedBack, int moved,
            long bringUpVirtualMillis, Cost bringUp, long convergeVirtualMillis, Cost converge,
            long loginsAfterKill, long heapBytes, SimRadiusServer.Counters radius) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** What a phase took on this machine: wall time, and CPU time of the lab's one thread (the load-proof one). */
    public record Cost(double wallSeconds, double cpuSeconds) {
        static final Cost NONE = new Cost(0, 0);

        static long cpuNanos() {
            return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }

        static Cost since(long wallStart, long cpuStart) {
            return new Cost((System.nanoTime() - wallStart) / 1e9, (cpuNanos() - cpuStart) / 1e9);
        }
    }

    /** The stand-in's place: in the hubs' outside subnet, as a RADIUS server in the data centre would be. */
    static final int RADIUS_ADDRESS_OFFSET = 9;
    static final int AUTH_PORT = 1812;
    static final int ACCT_PORT = 1813;
    static final String SECRET = "lab-radius-key";
    static final String ACCOUNTING_LIST = "labacct";
    /**
     * Interim-Updates every minute (IOS's shortest); the stand-in closes a session silent for 3 of them, the
     * stale bound of the README's FreeRADIUS cluster queries (180 s).
     */
    static final int INTERIM_MINUTES = 1;
    static final long STALE_MILLIS = INTERIM_MINUTES * 180_000L;
    /** sqlippool's default lease: an hour after the last record, a user's address may go to another. */
    static final long LEASE_MILLIS = 3_600_000;
    /**
     * How often each client's PC sends a ping through its tunnel: the traffic that makes DPD ask, and that starts
     * a login again after a refusal (each try costs both ends a Diffie-Hellman, so not more often).
     */
    static final long PING_MILLIS = 30_000;
    static final long BRING_UP_LIMIT_MILLIS = 300_000;
    static final long CONVERGE_LIMIT_MILLIS = 900_000;

    private final Options options;
    private final PrintStream out;
    private final SimScheduler clock = new SimScheduler(0);
    private final SimNetwork network;
    private final List<String> failures = new ArrayList<>();
    private final List<SimLanRouter> hubs = new ArrayList<>();
    private final List<SimVpnClient> clients = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final List<VpnClientProfile> profiles = new ArrayList<>();
    private int secondLogins;
    private final Set<SimLanRouter> dead = new HashSet<>();
    private SimRadiusServer radius;
    private String poolName;
    private int lanHost;

    public ClusterLab(Options options, PrintStream out) {
        if (options.hubs() < 2) {
            throw new IllegalArgumentException("a cluster has at least 2 hubs");
        }
        this.options = options;
        this.out = out;
        this.network = new SimNetwork(clock, options.seed(), options.faults());
    }

    private void say(String text) {
        out.printf(Locale.ROOT, "[%9.3f] %s%n", clock.now() / 1000.0, text);
    }

    public List<SimLanRouter> hubs() {
        return hubs;
    }

    public List<SimVpnClient> clients() {
        return clients;
    }

    public SimRadiusServer radius() {
        return radius;
    }

    /** Runs the cluster scenario; the outcome's failures name what did not hold. */
    public Outcome run() {
        out.println("vpnrouter lab: a cluster of " + options.hubs() + " hubs sharing a RADIUS/IPAM stand-in (seed "
                + options.seed() + ", " + options.clients() + " VPN client" + (options.clients() == 1 ? "" : "s")
                + ", loss " + pct(options.faults().loss()) + ", latency " + options.faults().latencyMillis() + " ms)");
        RouterConfig base = load("hub", options.hubConfig());
        if (base == null) {
            return outcome(0, 0, 0, 0, Cost.NONE, 0, Cost.NONE, 0);
        }
        ClientGroup group = base.clientGroups().stream().filter(g -> g.key().isPresent() && g.pool().isPresent())
                .findFirst().orElse(null);
        Interface outside = base.interfaces().stream().filter(i -> i.cryptoMap().isPresent()).findFirst()
                .orElse(null);
        Interface inside = base.interfaces().stream().filter(i -> i.cryptoMap().isEmpty() && !i.shutdown()
                && i.address() instanceof InterfaceAddress.Static).findFirst().orElse(null);
        if (group == null || outside == null || !(outside.address() instanceof InterfaceAddress.Static first)
                || inside == null) {
            failures.add("hub config: a cluster needs a client group with a key and a pool, an outside interface "
                    + "with a crypto map and a static address, and an inside interface");
            return outcome(0, 0, 0, 0, Cost.NONE, 0, Cost.NONE, 0);
        }
        poolName = group.pool().orElseThrow();
        int[] addresses = new int[options.hubs()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = first.address() + i;
            if ((addresses[i] & first.mask()) != (first.address() & first.mask())
                    || addresses[i] == (first.address() | ~first.mask())) {
                failures.add("hub config: " + options.hubs() + " hubs do not fit in the outside subnet from "
                        + Ipv4.format(first.address()));
                return outcome(0, 0, 0, 0, Cost.NONE, 0, Cost.NONE, 0);
            }
        }
        int radiusAddress = (first.address() & first.mask()) + RADIUS_ADDRESS_OFFSET;
        String clusterText = clusterConfig(SeedLab.widenedPool(options.hubConfig(), options.clients(), this::say),
                group.name(), addresses, radiusAddress);
        InterfaceAddress.Static lan = (InterfaceAddress.Static) inside.address();
        lanHost = lan.address() + 9;
        for (int i = 0; i < addresses.length; i++) {
            String text = clusterText.replaceFirst("(?m)^hostname (\\S+)\\s*$", "hostname $1" + (i + 1))
                    .replace("ip address " + Ipv4.format(first.address()) + " ",
                            "ip address " + Ipv4.format(addresses[i]) + " ");
            RouterConfig config = load("hub " + (i + 1), text);
            if (config == null) {
                return outcome(0, 0, 0, 0, Cost.NONE, 0, Cost.NONE, 0);
            }
            ConfigPolicy policy = new ConfigPolicy(config);
            SimLanRouter hub = new SimLanRouter(policy.hostname(), network, addresses[i], policy,
                    options.seed() * 31 + 1 + i, lan.address(), lan.mask());
            hub.addHost(lanHost);
            hub.useRadius(options.seed() * 37 + i).useCounters(child -> {
                var s = hub.dataPlane().sa(child.id());
                return s == null ? null : new long[] {s.inbound().bytes(), s.outbound().bytes(),
                        s.inbound().packets(), s.outbound().packets()};
            });
            hubs.add(hub);
            say(policy.hostname() + ": " + outside.name() + " " + Ipv4.format(addresses[i]) + ", Xauth and "
                    + "accounting through RADIUS " + Ipv4.format(radiusAddress));
        }
        IpLocalPool range = load("hub", clusterText).localPools().stream().filter(p -> p.name().equals(poolName))
                .findFirst().orElseThrow();
        Set<Integer> nases = new HashSet<>();
        for (int a : addresses) {
            nases.add(a);
        }
        radius = new SimRadiusServer(network, radiusAddress, AUTH_PORT, ACCT_PORT, SECRET, nases, range.first(),
                range.last(), 1, LEASE_MILLIS, STALE_MILLIS);
        say("RADIUS/IPAM stand-in " + Ipv4.format(radiusAddress) + ": " + options.clients() + " users, "
                + "Simultaneous-Use 1, pool " + Ipv4.format(range.first()) + "-" + Ipv4.format(range.last())
                + " with leases by User-Name, sessions from accounting (closed after " + STALE_MILLIS / 1000
                + " s without a record; the same Calling-Station-Id through another hub is the same client)");

        SplittableRandom passwords = new SplittableRandom(options.seed() * 41);
        byte[] key = group.key().orElseThrow().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < options.clients(); i++) {
            String user = "user" + (i + 1);
            String password = Long.toHexString(passwords.nextLong());
            radius.user(user, password);
            users.add(user);
            SimLanRouter hub = hubs.get(i % hubs.size());
            int publicAddress = SeedLab.CLIENT_PUBLIC + 1 + i;
            int privateAddress = SeedLab.CLIENT_PRIVATE + 2 + i;
            SimNat nat = new SimNat(network, publicAddress);
            VpnClientProfile profile = VpnClientProfile.of(hub.address(), group.name(), key, user, password);
            profiles.add(profile);
            SimVpnClient client = new SimVpnClient("client" + (i + 1), network, privateAddress, profile,
                    options.seed() * 31 + 7 + i);
            nat.attachInside(privateAddress, client);
            clients.add(client);
        }

        // Bring-up: one client a millisecond, as users never start in the same instant.
        long wallStart = System.nanoTime();
        long cpuStart = Cost.cpuNanos();
        for (int i = 0; i < clients.size(); i++) {
            clock.after(i, clients.get(i)::connect);
        }
        long start = clock.now();
        runUntil(() -> upOnLiveHubs() == clients.size(), start + BRING_UP_LIMIT_MILLIS);
        long bringUp = clock.now() - start;
        Cost bringUpCost = Cost.since(wallStart, cpuStart);
        int up = upOnLiveHubs();
        long loginsBefore = radius.counters().accepts;
        say("bring-up: " + up + " of " + clients.size() + " clients up in " + seconds(bringUp) + " s virtual ("
                + String.format(Locale.ROOT, "%.1f", bringUpCost.cpuSeconds()) + " s CPU), " + perHub());
        if (up < clients.size()) {
            failures.add("bring-up: only " + up + " of " + clients.size() + " clients came up" + lastFailure());
        }
        Map<SimVpnClient, Integer> before = addresses("bring-up");
        startPings();
        clock.runUntil(clock.now() + 2 * INTERIM_MINUTES * 60_000L);
        checkAddresses("before the kill");

        if (!options.killHub()) {
            return outcome(up, 0, 0, bringUp, bringUpCost, 0, Cost.NONE, 0);
        }
        SimLanRouter victim = hubs.getFirst();
        Map<SimVpnClient, SimLanRouter> servedBefore = served();
        List<SimVpnClient> moving = clients.stream().filter(c -> servedBefore.get(c) == victim).toList();
        dead.add(victim);
        victim.kill();
        long killedAt = clock.now();
        long wallKill = System.nanoTime();
        long cpuKill = Cost.cpuNanos();
        say(victim.name() + " killed (it answers nothing from now on; its " + moving.size()
                + " sessions are never Stopped)");
        runUntil(() -> movedBack(moving, before) == moving.size() && upOnLiveHubs() == clients.size(),
                killedAt + CONVERGE_LIMIT_MILLIS);
        long converge = clock.now() - killedAt;
        Cost convergeCost = Cost.since(wallKill, cpuKill);
        int back = movedBack(moving, before);
        up = upOnLiveHubs();
        say("after the kill: " + back + " of " + moving.size() + " clients of " + victim.name()
                + " back with their address in " + seconds(converge) + " s virtual ("
                + String.format(Locale.ROOT, "%.1f", convergeCost.cpuSeconds()) + " s CPU), " + up + " of " + clients.size()
                + " clients up, " + perHub());
        if (back < moving.size()) {
            List<String> missing = new ArrayList<>();
            Map<SimVpnClient, SimLanRouter> served = served();
            for (SimVpnClient c : moving) {
                if (missing.size() < 3 && !back(c, before, served)) {
                    missing.add(c.name() + " (" + describe(c, before) + ")");
                }
            }
            failures.add("failover: only " + back + " of " + moving.size() + " clients of " + victim.name()
                    + " came back with their address, e.g. " + String.join(", ", missing) + lastFailure());
        }
        if (up < clients.size()) {
            failures.add("after the kill: only " + up + " of " + clients.size() + " clients up");
        }
        checkAddresses("after the kill");
        for (SimLanRouter hub : hubs) {
            if (!dead.contains(hub) && hub.radius().recordsLost() > 0) {
                failures.add(hub.name() + ": " + hub.radius().recordsLost() + " accounting records lost");
            }
        }
        return outcome(up, back, moving.size(), bringUp, bringUpCost, converge, convergeCost,
                radius.counters().accepts - loginsBefore);
    }

    /**
     * After {@link #run}: a second PC, behind a NAT of its own, logging in with client {@code index}'s credentials
     * through hub {@code hub} (what a shared password does); the tests see whether the cluster lets it in.
     */
    SimVpnClient secondLogin(int index, int hub) {
        int n = clients.size() + secondLogins++;
        SimNat nat = new SimNat(network, SeedLab.CLIENT_PUBLIC + 1 + n);
        VpnClientProfile own = profiles.get(index);
        SimVpnClient c = new SimVpnClient("second-login-" + secondLogins, network, SeedLab.CLIENT_PRIVATE + 2 + n,
                VpnClientProfile.of(hubs.get(hub).address(), own.group(), own.groupKey(), own.username(),
                        own.password()), options.seed() * 43 + n);
        nat.attachInside(SeedLab.CLIENT_PRIVATE + 2 + n, c);
        c.connect();
        return c;
    }

    /** Lets virtual time pass after {@link #run}. */
    void runFor(long millis) {
        clock.runUntil(clock.now() + millis);
    }

    /**
     * The seed hub as a member of the cluster: Xauth through the stand-in only (no local fallback: the cluster's
     * users live in RADIUS), accounting start-stop with Interim-Updates to it, DPD, and every hub as a backup
     * gateway of the client group, in the order of their addresses.
     */
    static String clusterConfig(String hub, String group, int[] hubs, int radius) {
        StringBuilder gateways = new StringBuilder();
        for (int h : hubs) {
            gateways.append("  backup-gateway ").append(Ipv4.format(h)).append('\n');
        }
        String text = hub.replaceAll("(?m)^aaa authentication login (\\S+) .*$",
                "aaa authentication login $1 group radius");
        text = text.replaceFirst("(?m)^(crypto isakmp client configuration group " + Pattern.quote(group) + "\\s*\n)",
                "$1" + Matcher.quoteReplacement(gateways.toString()));
        text = text.replaceAll("(?m)^(\\s+client authentication list \\S+\\s*\n)",
                "$1  client accounting list " + ACCOUNTING_LIST + "\n");
        String added = "aaa accounting network " + ACCOUNTING_LIST + " start-stop group radius\n"
                + "aaa accounting update periodic " + INTERIM_MINUTES + "\n"
                + "crypto isakmp keepalive 10 2\n"
                + "radius server standin\n"
                + "  address ipv4 " + Ipv4.format(radius) + " auth-port " + AUTH_PORT + " acct-port " + ACCT_PORT
                + "\n"
                + "  key " + SECRET + "\n"
                + "!\n";
        return text.replaceFirst("(?m)^end\\s*$", Matcher.quoteReplacement(added) + "end");
    }

    /**
     * Which live hub holds each up client's SA pair (both ends agree: the hub's inbound SPI is the client's
     * outbound one), worked out once per look: a look at every client is linear in the SAs.
     */
    private Map<SimVpnClient, SimLanRouter> served() {
        Map<Integer, SimLanRouter> bySpi = new HashMap<>();
        for (SimLanRouter hub : hubs) {
            if (!dead.contains(hub)) {
                for (ChildSa h : hub.children()) {
                    bySpi.put(h.inboundSpi(), hub);
                }
            }
        }
        Map<SimVpnClient, SimLanRouter> out = new HashMap<>();
        for (SimVpnClient c : clients) {
            for (ChildSa child : c.children()) {
                SimLanRouter hub = bySpi.get(child.outboundSpi());
                if (hub != null && hub.address() == child.peerAddress()) {
                    out.put(c, hub);
                    break;
                }
            }
        }
        return out;
    }

    private int upOnLiveHubs() {
        return served().size();
    }

    /** Lets virtual time run, a second at a time, until {@code done} holds or {@code deadline}; whether it held. */
    private boolean runUntil(java.util.function.BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean()) {
            if (clock.now() >= deadline) {
                return false;
            }
            clock.runUntil(Math.min(deadline, clock.now() + 1_000));
        }
        return true;
    }

    private int movedBack(List<SimVpnClient> moving, Map<SimVpnClient, Integer> before) {
        Map<SimVpnClient, SimLanRouter> served = served();
        int n = 0;
        for (SimVpnClient c : moving) {
            if (back(c, before, served)) {
                n++;
            }
        }
        return n;
    }

    private static boolean back(SimVpnClient c, Map<SimVpnClient, Integer> before,
            Map<SimVpnClient, SimLanRouter> served) {
        return served.containsKey(c) && c.config() != null && before.get(c) != null
                && c.config().address() == before.get(c);
    }

    private String describe(SimVpnClient c, Map<SimVpnClient, Integer> before) {
        SimLanRouter hub = served().get(c);
        return hub == null ? "not up, " + c.connects() + " connects"
                : "on " + hub.name() + " with " + Ipv4.format(c.config().address()) + ", had "
                        + Ipv4.format(before.getOrDefault(c, 0));
    }

    /** Each up client's address; one held by two clients is a failure. */
    private Map<SimVpnClient, Integer> addresses(String when) {
        Map<SimVpnClient, Integer> out = new HashMap<>();
        Map<Integer, SimVpnClient> byAddress = new HashMap<>();
        Map<SimVpnClient, SimLanRouter> served = served();
        for (SimVpnClient c : clients) {
            if (!served.containsKey(c) || c.config() == null) {
                continue;
            }
            int a = c.config().address();
            SimVpnClient other = byAddress.putIfAbsent(a, c);
            if (other != null) {
                failures.add(when + ": " + Ipv4.format(a) + " held by " + other.name() + " and " + c.name());
                return out;
            }
            out.put(c, a);
        }
        return out;
    }

    /**
     * No address held twice: not by two up clients, not in two live hubs' pools, and every up client's address is
     * the one the stand-in leases to its user.
     */
    private void checkAddresses(String when) {
        Map<SimVpnClient, Integer> held = addresses(when);
        Map<Integer, SimLanRouter> allocatedOn = new HashMap<>();
        for (SimLanRouter hub : hubs) {
            if (dead.contains(hub)) {
                continue;
            }
            AddressPool pool = hub.engine().addressPool(poolName);
            for (int a : held.values()) {
                if (pool != null && pool.isAllocated(a)) {
                    SimLanRouter other = allocatedOn.putIfAbsent(a, hub);
                    if (other != null) {
                        failures.add(when + ": " + Ipv4.format(a) + " allocated on " + other.name() + " and "
                                + hub.name());
                        return;
                    }
                }
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            Integer a = held.get(clients.get(i));
            if (a != null && radius.leaseOf(users.get(i)) != a) {
                failures.add(when + ": " + clients.get(i).name() + " uses " + Ipv4.format(a) + " but the stand-in "
                        + "leases " + Ipv4.format(radius.leaseOf(users.get(i))) + " to " + users.get(i));
                return;
            }
            if (a != null && !allocatedOn.containsKey(a)) {
                failures.add(when + ": " + clients.get(i).name() + " uses " + Ipv4.format(a) + " but no live hub's "
                        + "pool has it allocated");
                return;
            }
        }
    }

    /** Every client's PC pings the host behind the hubs, so DPD asks when a hub goes quiet. */
    private void startPings() {
        for (int i = 0; i < clients.size(); i++) {
            SimVpnClient c = clients.get(i);
            clock.after(i % PING_MILLIS, () -> pingForever(c));
        }
    }

    private void pingForever(SimVpnClient c) {
        if (c.adapter() != null) {
            c.adapter().ping(lanHost);
        }
        clock.after(PING_MILLIS, () -> pingForever(c));
    }

    private String perHub() {
        StringBuilder b = new StringBuilder("per hub:");
        Map<SimLanRouter, Integer> count = new HashMap<>();
        for (SimLanRouter h : served().values()) {
            count.merge(h, 1, Integer::sum);
        }
        for (SimLanRouter h : hubs) {
            b.append(' ').append(h.name()).append(' ').append(dead.contains(h) ? "dead" : count.getOrDefault(h, 0));
        }
        return b.toString();
    }

    private String lastFailure() {
        for (SimLanRouter h : hubs) {
            if (!dead.contains(h) && h.engine().counters().lastFailure != null) {
                return " (" + h.name() + ": " + h.engine().counters().lastFailure + ")";
            }
        }
        return "";
    }

    private RouterConfig load(String role, String text) {
        ParseResult r = ConfigLoader.load(text);
        for (Diagnostic d : r.diagnostics()) {
            if (d.isError()) {
                failures.add(role + " config: " + d.format(role + ".cfg"));
            }
        }
        return failures.isEmpty() ? r.config() : null;
    }

    private Outcome outcome(int up, int back, int moved, long bringUp, Cost bringUpCost, long converge,
            Cost convergeCost, long relogins) {
        return new Outcome(List.copyOf(failures), up, clients.size(), back, moved, bringUp, bringUpCost, converge,
                convergeCost, relogins, heapInUse(), radius == null ? new SimRadiusServer.Counters()
                        : radius.counters());
    }

    /** The heap the whole cluster holds now (hubs, clients, stand-in, pending events), after a full collection. */
    private long heapInUse() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        java.lang.ref.Reference.reachabilityFence(this);
        return used;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.0f%%", p * 100);
    }
}
