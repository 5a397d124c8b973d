package dev.vpnrouter.sim;

import dev.vpnrouter.cli.CryptoShow;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.ClientConfig;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.VpnClientProfile;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed scenario in one process: the hub running hub.cfg, spokes running spoke.cfg with outside addresses from
 * the ISP's DHCP server, LAN hosts behind both, on the simulated internet with a virtual clock. It tells what
 * happens as a network engineer would follow it, prints the seed's verification commands, and checks what the
 * seed promises. Same options and seed, same output, byte for byte.
 */
public final class SeedLab {
    /** Everything a run can be told. */
    public record Options(String hubConfig, String spokeConfig, int spokes, int clients, long seed,
            FaultModel faults, long durationMillis, boolean debug) {
    }

    /** What held and what did not. */
    public record Outcome(List<String> failures, int tunnelsUp, int tunnelsExpected, long pingsSent,
            long pingsAnswered, long negotiations, long retransmits, long virtualMillis, long packetsSent,
            long packetsLost, int poolInUse, long poolSize) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** The ISP's side of the spokes' DSL links, as in the seed (spoke 10.100.2.102/24, default route 10.100.2.3). */
    static final int ISP_ROUTER = Ipv4.parse("10.100.2.3");
    static final int DHCP_FIRST = Ipv4.parse("10.100.2.100");
    /** Home NATs of the lab's VPN clients (RFC 2544 benchmark range) and the PCs behind them. */
    static final int CLIENT_PUBLIC = Ipv4.parse("198.18.0.0");
    static final int CLIENT_PRIVATE = Ipv4.parse("172.16.0.0");
    /** A fleet larger than one /24 gets a /16 access network. */
    static final int BIG_FLEET = 150;

    private final Options options;
    private final PrintStream out;
    private final SimScheduler clock = new SimScheduler(0);
    private final SimNetwork network;
    private final List<String> failures = new ArrayList<>();
    private LabProgress progress = LabProgress.OFF;
    /** The progress line's phase, from when (virtual) and for how long; 0 for one that lasts until all are up. */
    private String phase = "starting";
    private long phaseStart;
    private long phaseLength;
    private SimLanRouter hubRouter;
    private final List<SimLanRouter> spokeRouters = new ArrayList<>();
    private final List<SimVpnClient> clientRouters = new ArrayList<>();
    private String poolName;

    /** The progress line of long runs (on stderr, so stdout stays the same for a seed). */
    public SeedLab withProgress(LabProgress progress) {
        this.progress = progress;
        return this;
    }

    /** The hub after {@link #run()}, for the interactive prompt. */
    public SimLanRouter hub() {
        return hubRouter;
    }

    /** The spokes after {@link #run()}. */
    public List<SimLanRouter> spokes() {
        return spokeRouters;
    }

    /** The VPN clients after {@link #run()}. */
    public List<SimVpnClient> clients() {
        return clientRouters;
    }

    /** The virtual time now. */
    public long now() {
        return clock.now();
    }

    /** The configuration a router of the run is running (a fleet's spokes have their renumbered one). */
    public RouterConfig configOf(SimLanRouter router) {
        return configs.get(router);
    }

    /** Lets virtual time pass after the run (the interactive prompt's {@code wait}): timers fire, packets flow. */
    public void runFor(long millis) {
        clock.runUntil(clock.now() + millis);
    }

    private final java.util.Map<SimLanRouter, RouterConfig> configs = new java.util.HashMap<>();

    private void phase(String name, long lengthMillis) {
        phase = name;
        phaseStart = clock.now();
        phaseLength = lengthMillis;
    }

    private LabProgress.Status status(SimLanRouter hub, List<Spoke> spokes, List<SimVpnClient> clients) {
        int tunnels = spokes.size() + clients.size();
        int up = bothEndsUp(hub, spokes, clients);
        double done = phaseLength > 0 ? (double) (clock.now() - phaseStart) / phaseLength
                : tunnels == 0 ? 1 : (double) up / tunnels;
        return new LabProgress.Status(phase, done, clock.now(), up, tunnels,
                hub.engine().counters().phase1Completed + hub.engine().counters().phase2Completed);
    }

    /** Before the verification output and at every way out of {@link #run()}: the line goes, the clock forgets it. */
    private void stopProgress() {
        clock.afterEachEvent(null);
        progress.clear();
    }

    public SeedLab(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.network = new SimNetwork(clock, options.seed(), options.faults());
    }

    private void say(String text) {
        progress.clear();
        out.printf(Locale.ROOT, "[%9.3f] %s%n", clock.now() / 1000.0, text);
    }

    /** Runs the scenario; the outcome's failures name what the seed promised and did not happen. */
    public Outcome run() {
        out.println("vpnrouter lab: the seed topology in one process (seed " + options.seed() + ", " + options.spokes()
                + " spoke" + (options.spokes() == 1 ? "" : "s") + ", " + options.clients() + " VPN client"
                + (options.clients() == 1 ? "" : "s") + ", loss " + pct(options.faults().loss()) + ", dup "
                + pct(options.faults().duplicate()) + ", reorder " + pct(options.faults().reorder()) + ", latency "
                + options.faults().latencyMillis() + " ms)");
        String hubText = options.clients() > 0 ? widenedPool(options.hubConfig(), options.clients(), this::say)
                : options.hubConfig();
        RouterConfig hubConfig = load("hub", hubText);
        RouterConfig spokeConfig = load("spoke", options.spokeConfig());
        if (hubConfig == null || spokeConfig == null) {
            return outcome(0, 0, 0, 0, 0, 0);
        }
        ConfigPolicy hubPolicy = new ConfigPolicy(hubConfig);
        Interface hubOutside = outside(hubConfig, hubPolicy, "hub");
        Interface hubInside = inside(hubConfig);
        if (hubOutside == null || !(hubOutside.address() instanceof InterfaceAddress.Static hubAddr)
                || hubInside == null) {
            failures.add("hub: needs an outside interface with a crypto map and a static address, and an inside "
                    + "interface with a static address");
            return outcome(0, 0, 0, 0, 0, 0);
        }
        InterfaceAddress.Static hubLan = (InterfaceAddress.Static) hubInside.address();
        SimLanRouter hub = new SimLanRouter(hubPolicy.hostname(), network, hubAddr.address(), hubPolicy,
                options.seed() * 31 + 1, hubLan.address(), hubLan.mask());
        wireDebug(hub);
        SimHost hubHost = hub.addHost(hubLan.address() + 9);
        hubRouter = hub;
        configs.put(hub, hubConfig);
        say(hubPolicy.hostname() + ": " + hubOutside.name() + " " + Ipv4.format(hubAddr.address()) + "/"
                + Ipv4.prefixLength(hubAddr.mask()) + ", crypto map " + hubOutside.cryptoMap().orElse("") + "; LAN "
                + Ipv4.format(hubLan.address() & hubLan.mask()) + "/" + Ipv4.prefixLength(hubLan.mask())
                + " with host " + Ipv4.format(hubHost.address()));

        int dhcpMask = options.spokes() <= BIG_FLEET ? Ipv4.maskOf(24) : Ipv4.maskOf(16);
        SimDhcpServer dhcp = new SimDhcpServer(DHCP_FIRST, (DHCP_FIRST | ~dhcpMask) - 1, dhcpMask, ISP_ROUTER,
                86_400_000L);
        List<Spoke> spokes = new ArrayList<>();
        int fleet = options.spokes() + options.clients();
        for (int i = 0; i < options.spokes(); i++) {
            startingProgress(i, fleet);
            Spoke s = startSpoke(i, spokeConfig, dhcp);
            if (s == null) {
                return outcome(0, options.spokes(), 0, 0, 0, 0);
            }
            spokes.add(s);
        }

        LabClient clientSetup = null;
        if (options.clients() > 0) {
            clientSetup = clientSetup(hubConfig, hubAddr.address());
            if (clientSetup == null) {
                return outcome(0, options.spokes() + options.clients(), 0, 0, 0, 0);
            }
        }
        List<SimVpnClient> clients = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            startingProgress(options.spokes() + i, fleet);
            clients.add(startClient(i, clientSetup));
        }
        int tunnels = spokes.size() + clients.size();
        phase("bring-up", 0);
        clock.afterEachEvent(() -> progress.offer(() -> status(hub, spokes, clients)));

        // The first packet from each spoke LAN matches ACL 100 and brings the tunnel up, as on a real spoke; the
        // VPN clients connect at the same time. A fleet comes up over time, one spoke and one client per
        // millisecond, as real routers and users never start in the same instant.
        for (int i = 0; i < spokes.size(); i++) {
            SimHost host = spokes.get(i).host;
            clock.after(i, () -> host.ping(hubHost.address()));
        }
        for (int i = 0; i < clients.size(); i++) {
            clock.after(i, clients.get(i)::connect);
        }
        // Up means both ends hold the SA pair: the hub installs its side when Quick Mode's third message arrives.
        long start = clock.now();
        java.util.function.BooleanSupplier upCheck = () -> countUp(spokes, clients) == tunnels
                && hub.children().size() >= tunnels;
        boolean allUp = false;
        for (long t = start + 1_000; t <= start + 120_000 && !allUp; t += 1_000) {
            allUp = clock.runUntil(upCheck, t);
        }
        int up = countUp(spokes, List.of());
        if (options.spokes() <= 5) {
            for (Spoke s : spokes) {
                for (ChildSa c : s.router.children()) {
                    say(s.router.name() + ": IPsec SA up " + c.local().ios() + " <-> " + c.remote().ios() + " with "
                            + Ipv4.format(c.peerAddress()) + " (" + c.transform().iosTransform() + ", SPI in 0x"
                            + Integer.toHexString(c.inboundSpi()).toUpperCase() + " out 0x"
                            + Integer.toHexString(c.outboundSpi()).toUpperCase() + ")");
                }
            }
        }
        int clientsUp = countUp(List.of(), clients);
        if (tunnels <= 5) {
            for (SimVpnClient c : clients) {
                if (c.config() != null) {
                    say(c.name() + ": Mode Config: " + c.config().describe());
                }
                for (ChildSa child : c.children()) {
                    say(c.name() + ": IPsec SA up " + child.local().ios() + " <-> " + child.remote().ios() + " with "
                            + Ipv4.format(child.peerAddress()) + " (" + child.transform().iosTransform()
                            + (child.udpEncapsulated() ? ", UDP-encapsulated" : "") + ")");
                }
            }
        }
        say("tunnels up: " + up + " of " + spokes.size() + " spokes" + (clients.isEmpty() ? "" : ", " + clientsUp
                + " of " + clients.size() + " VPN clients"));
        if (up < spokes.size()) {
            failures.add("LAN-to-LAN: only " + up + " of " + spokes.size() + " spokes brought their tunnel up"
                    + lastFailure(hub, spokes));
        }
        if (clientsUp < clients.size()) {
            failures.add("remote access: only " + clientsUp + " of " + clients.size() + " VPN clients came up"
                    + lastFailure(hub, List.of()));
        }
        if (!clients.isEmpty()) {
            checkClientSettings(hub, clients, clientSetup);
        }
        for (Spoke s : spokes) {
            if (s.router.transactionsReceived() > 0) {
                failures.add(s.router.name() + ": was sent a Transaction exchange (Xauth/Mode Config); spokes never "
                        + "should be");
                break;
            }
        }

        // Pings across each tunnel, both ways.
        for (Spoke s : spokes) {
            s.host.pingEvery(hubHost.address(), 1_000, 5, 56);
            hubHost.pingEvery(s.host.address(), 1_000, 5, 56);
        }
        for (SimVpnClient c : clients) {
            if (c.adapter() != null) {
                c.adapter().pingEvery(hubHost.address(), 1_000, 5, 56);
                hubHost.pingEvery(c.adapter().address(), 1_000, 5, 56);
            }
        }
        phase("pings", 10_000);
        clock.runUntil(clock.now() + 10_000);
        long sent = 0;
        long answered = 0;
        for (Spoke s : spokes) {
            sent += s.host.echoRequestsSent();
            answered += s.host.echoRepliesReceived();
        }
        for (SimVpnClient c : clients) {
            if (c.adapter() != null) {
                sent += c.adapter().echoRequestsSent();
                answered += c.adapter().echoRepliesReceived();
            }
        }
        sent += hubHost.echoRequestsSent();
        answered += hubHost.echoRepliesReceived();
        if (options.spokes() <= 5) {
            for (Spoke s : spokes) {
                say("ping " + Ipv4.format(s.host.address()) + " -> " + Ipv4.format(hubHost.address()) + ": "
                        + s.host.echoRepliesReceived() + "/" + s.host.echoRequestsSent() + " replies through ESP");
            }
        }
        if (tunnels <= 5) {
            for (SimVpnClient c : clients) {
                if (c.adapter() != null) {
                    say("ping " + Ipv4.format(c.adapter().address()) + " (" + c.name() + ") -> "
                            + Ipv4.format(hubHost.address()) + ": " + c.adapter().echoRepliesReceived() + "/"
                            + c.adapter().echoRequestsSent() + " replies through ESP");
                }
            }
        }
        say("ping " + Ipv4.format(hubHost.address()) + " -> spoke LANs" + (clients.isEmpty() ? "" : " and clients")
                + ": " + hubHost.echoRepliesReceived() + "/" + hubHost.echoRequestsSent() + " replies through ESP");
        if (options.faults().loss() == 0 && answered < sent) {
            failures.add("pings: " + answered + " of " + sent + " answered on a loss-free network");
        } else if (answered == 0) {
            failures.add("pings: none answered");
        }

        if (options.durationMillis() > 0) {
            runFor(options.durationMillis(), hub, spokes, clients, hubHost);
        }

        // The seed's verification commands.
        stopProgress();
        Spoke first = spokes.getFirst();
        out.println();
        out.println(first.router.name() + "#show ip interface " + first.outside.name());
        out.print(CryptoShow.ipInterface(first.outside.name(), true, first.router.address(), dhcpMask, true));
        out.println();
        out.println(hub.name() + "#show crypto isakmp sa detail");
        out.print(CryptoShow.isakmpSaDetail(hub.engine().ikeSas(), clock.now()));
        out.println();
        out.println(hub.name() + "#show crypto ipsec sa");
        out.print(CryptoShow.ipsecSa(hubOutside.name(), hubOutside.cryptoMap().orElse(""), hubAddr.address(),
                tunnels <= 5 ? hub.children() : hub.children().subList(0, Math.min(2,
                        hub.children().size())), c -> hub.dataPlane().sa(c.id()), clock.now()));
        out.println();

        long negotiations = hub.engine().counters().phase1Completed + hub.engine().counters().phase2Completed;
        long retransmits = hub.engine().counters().retransmits;
        for (Spoke s : spokes) {
            retransmits += s.router.engine().counters().retransmits;
        }
        for (SimVpnClient c : clients) {
            retransmits += c.engine().counters().retransmits;
        }
        return outcome(bothEndsUp(hub, spokes, clients), tunnels, sent, answered, negotiations, retransmits);
    }

    private void runFor(long duration, SimLanRouter hub, List<Spoke> spokes, List<SimVpnClient> clients,
            SimHost hubHost) {
        long end = clock.now() + duration;
        long step = Math.max(60_000, duration / 24);
        int tunnels = spokes.size() + clients.size();
        say("running for " + duration / 1000 + " s of virtual time (rekeys, DPD, lifetimes)...");
        phase("running", duration);
        while (clock.now() < end) {
            for (Spoke s : spokes) {
                s.host.ping(hubHost.address());
            }
            for (SimVpnClient c : clients) {
                if (c.adapter() != null) {
                    c.adapter().ping(hubHost.address());
                }
            }
            clock.runUntil(Math.min(end, clock.now() + step));
        }
        phase("settling", 0);
        // Traffic brings back what an expiry took down; give the last round time to negotiate.
        for (Spoke s : spokes) {
            s.host.ping(hubHost.address());
        }
        for (SimVpnClient c : clients) {
            if (c.adapter() != null) {
                c.adapter().ping(hubHost.address());
            }
        }
        clock.runUntil(() -> countUp(spokes, clients) == tunnels, clock.now() + 60_000);
        // Up means both ends agree (an SA whose Delete was lost lingers on one side until DPD or its lifetime):
        // keep the traffic going, a minute at a time, for up to an hour of virtual time until they do.
        for (int minute = 0; minute < 60 && bothEndsUp(hub, spokes, clients) < tunnels; minute++) {
            for (Spoke s : spokes) {
                s.host.ping(hubHost.address());
            }
            for (SimVpnClient c : clients) {
                if (c.adapter() != null) {
                    c.adapter().ping(hubHost.address());
                }
            }
            clock.runUntil(clock.now() + 60_000);
        }
        int up = bothEndsUp(hub, spokes, clients);
        say("after " + duration / 1000 + " s: tunnels up " + up + " of " + tunnels + ", phase 1 negotiations "
                + hub.engine().counters().phase1Completed + ", phase 2 negotiations "
                + hub.engine().counters().phase2Completed);
        if (up < tunnels) {
            failures.add("after " + duration / 1000 + " s: only " + up + " of " + tunnels + " tunnels up");
        }
        if (!clients.isEmpty()) {
            checkPool(hub, clients, "after " + duration / 1000 + " s");
        }
    }

    private record Spoke(SimLanRouter router, SimHost host, Interface outside) {
    }

    private static int countUp(List<Spoke> spokes, List<SimVpnClient> clients) {
        int n = 0;
        for (Spoke s : spokes) {
            if (!s.router.children().isEmpty()) {
                n++;
            }
        }
        for (SimVpnClient c : clients) {
            if (!c.children().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Tunnels whose SA the hub holds too (by SPI): what a network engineer would call up. */
    private static int bothEndsUp(SimLanRouter hub, List<Spoke> spokes, List<SimVpnClient> clients) {
        java.util.Set<Integer> hubInbound = inboundSpis(hub);
        int n = 0;
        for (Spoke s : spokes) {
            n += agreed(s.router.children(), hubInbound) ? 1 : 0;
        }
        for (SimVpnClient c : clients) {
            n += agreed(c.children(), hubInbound) ? 1 : 0;
        }
        return n;
    }

    private static java.util.Set<Integer> inboundSpis(SimLanRouter router) {
        java.util.Set<Integer> spis = new java.util.HashSet<>();
        for (ChildSa c : router.children()) {
            spis.add(c.inboundSpi());
        }
        return spis;
    }

    /** Whether one of {@code children} is the far side of an SA the hub holds (our outbound SPI, its inbound). */
    private static boolean agreed(List<ChildSa> children, java.util.Set<Integer> hubInbound) {
        for (ChildSa c : children) {
            if (hubInbound.contains(c.outboundSpi())) {
                return true;
            }
        }
        return false;
    }

    /** The client side of the hub's config: the group and user the lab's clients log in with, and its pool. */
    private record LabClient(String group, String groupKey, String user, String password, String pool,
            dev.vpnrouter.config.model.ClientGroup config) {
    }

    /** Clients use the hub's first client group with a key and its first user whose password can be known. */
    private LabClient clientSetup(RouterConfig hub, int hubAddress) {
        dev.vpnrouter.config.model.ClientGroup group = hub.clientGroups().stream()
                .filter(g -> g.key().isPresent()).findFirst().orElse(null);
        dev.vpnrouter.config.model.LocalUser user = hub.users().stream()
                .filter(u -> u.password().clearText().isPresent()).findFirst().orElse(null);
        if (group == null) {
            failures.add("VPN clients: the hub config has no 'crypto isakmp client configuration group' with a key "
                    + "(use --clients 0 for a LAN-to-LAN only lab)");
            return null;
        }
        if (user == null) {
            failures.add("VPN clients: the hub config has no 'username' whose password the lab can know (type 0 "
                    + "or 7; a secret 5 cannot be reversed)");
            return null;
        }
        poolName = group.pool().orElse(null);
        return new LabClient(group.name(), group.key().orElseThrow(), user.name(),
                user.password().clearText().orElseThrow(), group.pool().orElse(null), group);
    }

    /** Client N: a PC at 172.16.N behind its own home NAT 198.18.N (documentation ranges of RFC 1918/2544). */
    private SimVpnClient startClient(int index, LabClient setup) {
        int publicAddress = CLIENT_PUBLIC + 1 + index;
        int privateAddress = CLIENT_PRIVATE + 2 + index;
        SimNat nat = new SimNat(network, publicAddress);
        String name = options.clients() == 1 ? "client" : "client" + (index + 1);
        VpnClientProfile profile = VpnClientProfile.of(hubRouter.address(), setup.group(),
                setup.groupKey().getBytes(java.nio.charset.StandardCharsets.UTF_8), setup.user(), setup.password());
        SimVpnClient client = new SimVpnClient(name, network, privateAddress, profile, options.seed() * 31 + 7 + index);
        nat.attachInside(privateAddress, client);
        clientRouters.add(client);
        configs.put(client, ConfigPolicy.vpnClientConfig(name));
        if (index == 0) {
            wireDebug(client);
        }
        if (options.spokes() + options.clients() <= 5) {
            say(name + ": PC " + Ipv4.format(privateAddress) + " behind home NAT " + Ipv4.format(publicAddress)
                    + ", VPN client to " + Ipv4.format(hubRouter.address()) + " with group " + setup.group()
                    + ", user " + setup.user());
        }
        return client;
    }

    /** What each client received must be what the hub's group says, with an address from its pool. */
    private void checkClientSettings(SimLanRouter hub, List<SimVpnClient> clients, LabClient setup) {
        dev.vpnrouter.config.model.ClientGroup g = setup.config();
        for (SimVpnClient c : clients) {
            ClientConfig got = c.config();
            if (got == null) {
                continue; // counted as not up
            }
            List<String> wrong = new ArrayList<>();
            if (setup.pool() != null && (got.address() == 0 || hub.engine().addressPool(setup.pool()) == null
                    || !hub.engine().addressPool(setup.pool()).isAllocated(got.address()))) {
                wrong.add("address " + Ipv4.format(got.address()) + " is not from pool " + setup.pool());
            }
            if (!got.dns().equals(g.dns())) {
                wrong.add("DNS " + got.dns().stream().map(Ipv4::format).toList());
            }
            if (!got.wins().equals(g.wins())) {
                wrong.add("WINS " + got.wins().stream().map(Ipv4::format).toList());
            }
            if (!java.util.Objects.equals(got.domain(), g.domain().orElse(null))) {
                wrong.add("domain " + got.domain());
            }
            if (!wrong.isEmpty()) {
                failures.add(c.name() + ": Mode Config differs from group " + g.name() + ": " + String.join(", ",
                        wrong));
                return;
            }
        }
        checkPool(hub, clients, "at bring-up");
    }

    /** The pool holds exactly one address per client that is connected: none leaked, none shared. */
    private void checkPool(SimLanRouter hub, List<SimVpnClient> clients, String when) {
        String pool = poolName;
        AddressPool addresses = pool == null ? null : hub.engine().addressPool(pool);
        if (addresses == null) {
            return;
        }
        java.util.Set<Integer> hubInbound = inboundSpis(hub);
        java.util.Set<Integer> held = new java.util.HashSet<>();
        for (SimVpnClient c : clients) {
            if (c.config() != null && agreed(c.children(), hubInbound)) {
                held.add(c.config().address());
                if (!addresses.isAllocated(c.config().address())) {
                    failures.add("pool " + pool + " " + when + ": " + c.name() + " uses "
                            + Ipv4.format(c.config().address()) + " but the pool has it free");
                    return;
                }
            }
        }
        int inUse = addresses.inUse();
        if (inUse > held.size()) {
            failures.add("pool " + pool + " " + when + ": " + inUse + " addresses in use for " + held.size()
                    + " connected clients: " + (inUse - held.size()) + " leaked");
        }
    }

    private Spoke startSpoke(int index, RouterConfig base, SimDhcpServer dhcp) {
        RouterConfig config = index == 0 ? base : renumbered(base, index);
        if (config == null) {
            return null;
        }
        ConfigPolicy policy = new ConfigPolicy(config);
        Interface outside = outside(config, policy, "spoke");
        Interface inside = inside(config);
        if (outside == null || inside == null) {
            failures.add("spoke: needs an outside interface with a crypto map and an inside interface with a "
                    + "static address");
            return null;
        }
        String name = options.spokes() == 1 ? policy.hostname() : policy.hostname() + (index + 1);
        int address;
        if (outside.address() instanceof InterfaceAddress.Static st) {
            address = st.address();
        } else {
            SimDhcpServer.Lease lease = dhcp.request(name, clock.now());
            if (lease == null) {
                failures.add("DHCP: the ISP ran out of addresses");
                return null;
            }
            address = lease.address();
            if (options.spokes() <= 5) {
                say("ISP DHCP: " + name + " " + outside.name() + " leased " + lease);
            }
        }
        InterfaceAddress.Static lan = (InterfaceAddress.Static) inside.address();
        SimLanRouter router = new SimLanRouter(name, network, address, policy, options.seed() * 31 + 2 + index,
                lan.address(), lan.mask());
        if (index == 0) {
            wireDebug(router);
        }
        SimHost host = router.addHost(lan.address() + 8);
        spokeRouters.add(router);
        configs.put(router, config);
        if (options.spokes() <= 5) {
            ChildPolicy entry = policy.cryptoMap().isEmpty() ? null : policy.cryptoMap().getFirst();
            say(name + ": LAN " + Ipv4.format(lan.address() & lan.mask()) + "/" + Ipv4.prefixLength(lan.mask())
                    + " with host " + Ipv4.format(host.address()) + (entry == null ? "" : ", crypto map "
                    + entry.describe() + " to " + entry.peers().stream().map(Ipv4::format).toList() + " for ACL "
                    + entry.aclName()));
        }
        return new Spoke(router, host, outside);
    }

    /** Spoke N of a generated fleet: the seed's spoke with its LAN (and ACL 100) moved to 10.128.0.0 + N*256. */
    private RouterConfig renumbered(RouterConfig base, int index) {
        String text = options.spokeConfig();
        int lan = Ipv4.parse("10.128.0.0") + (index << 8);
        String net = Ipv4.format(lan);
        String renumbered = text
                .replace("ip address 10.2.2.2 255.255.255.0", "ip address " + Ipv4.format(lan + 2) + " 255.255.255.0")
                .replace("access-list 100 permit ip 10.2.0.0 0.0.255.255",
                        "access-list 100 permit ip " + net + " 0.0.0.255");
        return ConfigLoader.load(renumbered).config();
    }

    /**
     * More clients than the group's pool holds: the lab widens the pool (its first range, from the same first
     * address) so every client can get one, and says so. The user's config is otherwise unchanged.
     */
    static String widenedPool(String hubText, int clients, java.util.function.Consumer<String> say) {
        RouterConfig parsed = ConfigLoader.load(hubText).config();
        String pool = parsed.clientGroups().stream().map(g -> g.pool().orElse(null))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        List<dev.vpnrouter.config.model.IpLocalPool> ranges = parsed.localPools().stream()
                .filter(p -> p.name().equals(pool)).toList();
        long size = ranges.stream().mapToLong(p -> (p.last() & 0xffffffffL) - (p.first() & 0xffffffffL) + 1).sum();
        if (pool == null || ranges.isEmpty() || size >= clients) {
            return hubText;
        }
        dev.vpnrouter.config.model.IpLocalPool first = ranges.getFirst();
        int last = first.first() + clients - 1 + (int) (size - ((first.last() & 0xffffffffL)
                - (first.first() & 0xffffffffL) + 1));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ip local pool " + java.util.regex.Pattern
                .quote(pool) + " " + java.util.regex.Pattern.quote(Ipv4.format(first.first())) + "( \\S+)?\\s*$")
                .matcher(hubText);
        if (!m.find()) {
            return hubText;
        }
        say.accept("lab: pool " + pool + " holds " + size + " addresses; widened to " + Ipv4.format(first.first()) + " "
                + Ipv4.format(last) + " for " + clients + " clients");
        return hubText.substring(0, m.start()) + "ip local pool " + pool + " " + Ipv4.format(first.first()) + " "
                + Ipv4.format(last) + hubText.substring(m.end());
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

    private static Interface outside(RouterConfig config, ConfigPolicy policy, String role) {
        return policy.outsideInterface() == null ? null : config.iface(policy.outsideInterface()).orElse(null);
    }

    private static Interface inside(RouterConfig config) {
        for (Interface i : config.interfaces()) {
            if (i.cryptoMap().isEmpty() && !i.shutdown() && i.address() instanceof InterfaceAddress.Static) {
                return i;
            }
        }
        return null;
    }

    private void wireDebug(SimRouter router) {
        if (!options.debug()) {
            return;
        }
        router.engine().setDebug(true);
        router.onEffect(e -> {
            String line = switch (e) {
                case IkeEffect.Debug d -> d.line();
                case IkeEffect.Log l -> l.message().format();
                default -> null;
            };
            if (line != null) {
                progress.clear();
                out.printf(Locale.ROOT, "[%9.3f] %s: %s%n", clock.now() / 1000.0, router.name(), line);
            }
        });
    }

    private static String lastFailure(SimLanRouter hub, List<Spoke> spokes) {
        String f = hub.engine().counters().lastFailure;
        for (Spoke s : spokes) {
            if (f == null) {
                f = s.router.engine().counters().lastFailure;
            }
        }
        return f == null ? "" : " (" + f + ")";
    }

    private Outcome outcome(int up, int expected, long sent, long answered, long negotiations, long retransmits) {
        stopProgress();
        var pool = hubRouter == null || poolName == null ? null : hubRouter.engine().addressPool(poolName);
        return new Outcome(List.copyOf(failures), up, expected, sent, answered, negotiations, retransmits,
                clock.now(), network.sent(), network.lost(), pool == null ? 0 : pool.inUse(),
                pool == null ? 0 : pool.size());
    }

    /** Starting a fleet of thousands (a config each) takes wall time before the clock runs. */
    private void startingProgress(int started, int fleet) {
        progress.offer(() -> new LabProgress.Status("starting", (double) started / fleet, clock.now(), 0, fleet, 0));
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.0f%%", p * 100);
    }
}
