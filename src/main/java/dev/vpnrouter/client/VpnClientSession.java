package dev.vpnrouter.client;

import dev.vpnrouter.common.DnsName;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.ClientConfig;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.net.LinkConfig;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Our VPN client on a Linux box, the Cisco VPN Client's role: the engine's client (Aggressive Mode with the group,
 * Xauth, Mode Config pull, Quick Mode) on UDP 500/4500, and the ESP data plane on a TUN device that takes the
 * assigned address. The split networks (or, without a split list, everything: 0.0.0.0/1 and 128.0.0.0/1, with the
 * hub itself pinned to the old path) are routed into the TUN while the SA lives. DNS settings are written only to
 * a file the user names, and put back on close. Everything it changes is undone on {@link #close()}.
 */
public final class VpnClientSession implements AutoCloseable {
    /** What to connect with. {@code dnsFile} null: leave name resolution alone. */
    public record Options(VpnClientProfile profile, int localAddress, String tunName, Path dnsFile,
            Consumer<String> debug) {
    }

    private final Options options;
    private final RouterRuntime runtime;
    private final LinuxDataPlane esp;
    private final LinkConfig links = LinkConfig.current();
    private final CountDownLatch configured = new CountDownLatch(1);
    private final CountDownLatch tunnelUp = new CountDownLatch(1);
    private final List<String> routes = new ArrayList<>();
    private volatile ClientConfig config;
    private volatile ChildSa child;
    private volatile String downReason;
    /** The gateway the client logs in to: the profile's hub, then the backup it failed over to (ike.ClientFailover). */
    private volatile int gateway;
    private String pinnedHubRoute;
    private String previousDns;
    private boolean dnsWritten;

    private VpnClientSession(Options options, RouterRuntime runtime, LinuxDataPlane esp) {
        this.options = options;
        this.runtime = runtime;
        this.esp = esp;
        this.gateway = options.profile().hub();
    }

    /**
     * Binds UDP 500/4500 on the local address, opens the TUN, and starts Aggressive Mode to the hub. Must run in
     * the network namespace the client lives in (its threads inherit it).
     */
    public static VpnClientSession start(Options options) throws IOException {
        ConfigPolicy policy = ConfigPolicy.forVpnClient("vpnrouter-client");
        RouterRuntime runtime = RouterRuntime.start(options.localAddress(),
                a -> new IkeEngine(policy, a, new SecureRandom()), null, options.debug());
        LinuxDataPlane esp;
        try {
            esp = LinuxDataPlane.start(runtime, options.tunName(), options.localAddress(),
                    options.debug() == null ? line -> { } : options.debug());
        } catch (IOException e) {
            runtime.close();
            throw e;
        }
        VpnClientSession s = new VpnClientSession(options, runtime, esp);
        esp.setRouteTable(s.new SplitRoutes());
        runtime.addEffectListener(s::onEffect);
        if (options.debug() != null) {
            runtime.addMessageListener(m -> options.debug().accept(m.format())); // among the debug lines, as before
        }
        // After the data plane's own listener: the SA is installed and its routes are in when this runs.
        runtime.addChildSaListener(new RouterRuntime.ChildSaListener() {
            @Override
            public void installed(ChildSa child) {
                s.child = child;
                s.tunnelUp.countDown();
            }

            @Override
            public void deleted(ChildSa child, String reason) {
                if (child.equals(s.child)) {
                    s.downReason = reason;
                }
            }
        });
        runtime.submit(e -> e.connectClient(options.profile(), System.currentTimeMillis()));
        return s;
    }

    /** On the loop thread. */
    private void onEffect(IkeEffect effect) {
        try {
            switch (effect) {
                case IkeEffect.ClientConfigured c -> {
                    gateway = c.sa().peerAddress();
                    ClientConfig cfg = withValidDnsNames(c.config(), this::log);
                    if (cfg.address() != 0) {
                        links.flushAddresses(esp.tunName());
                        links.addAddress(esp.tunName(), cfg.address(), 32);
                    }
                    writeDns(cfg);
                    config = cfg;
                    configured.countDown();
                }
                // The client's selectors come from Mode Config, not a configured crypto map: they become the
                // data plane's crypto map (queued on the loop ahead of any packet for the new SA).
                case IkeEffect.InstallChild i -> esp.setCryptoMap(List.of(i.child().policy()));
                default -> { }
            }
        } catch (IOException e) {
            log("vpnrouter client: " + e.getMessage());
        }
    }

    /** Waits for Mode Config; null when it did not come in time. */
    public ClientConfig awaitConfigured(Duration timeout) throws InterruptedException {
        return configured.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? config : null;
    }

    /** Waits for the IPsec SA; null when it did not come in time. */
    public ChildSa awaitTunnel(Duration timeout) throws InterruptedException {
        return tunnelUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? child : null;
    }

    /** Why the connection did not come up or went down, in the engine's words; null when nothing failed. */
    public String failure() {
        String last = runtime.query(e -> e.counters().lastFailure);
        return downReason != null ? downReason : last;
    }

    /** Whether an IPsec SA to the hub is installed now. */
    public boolean connected() {
        return runtime.query(e -> !e.childSas().isEmpty());
    }

    /**
     * Whether the client is logging in (to its hub or, after failing over, a backup gateway): an ISAKMP SA exists.
     * False once it has given up.
     */
    public boolean loggingIn() {
        return runtime.query(e -> e.ikeSaCount() > 0);
    }

    /** The gateway of the last Mode Config (the hub, or the backup gateway the client moved to). */
    public int gateway() {
        return gateway;
    }

    /** The routes this session put into the system, as {@code ip route} would name them. */
    public List<String> routes() {
        return runtime.query(e -> List.copyOf(routes));
    }

    public String tunName() {
        return esp.tunName();
    }

    public RouterRuntime runtime() {
        return runtime;
    }

    /** Sends Deletes to the hub, removes the routes and the TUN, puts the DNS file back. */
    @Override
    public void close() throws IOException {
        runtime.query(e -> {
            undoRoutes();
            return null;
        });
        restoreDns();
        runtime.close();
        esp.close();
    }

    /** Routes follow the SA: split networks into the TUN, or everything without replacing the default route. */
    private final class SplitRoutes implements LinuxDataPlane.RouteTable {
        @Override
        public void add(TrafficSelector network) throws IOException {
            int source = config == null ? 0 : config.address();
            if (network.equals(TrafficSelector.ANY)) {
                pinHub();
                route(0, 1, source);
                route(0x80000000, 1, source);
            } else {
                route(network.address(), Ipv4.prefixLength(network.mask()), source);
            }
        }

        @Override
        public void remove(TrafficSelector network) throws IOException {
            if (network.equals(TrafficSelector.ANY)) {
                unroute(0, 1);
                unroute(0x80000000, 1);
            } else {
                unroute(network.address(), Ipv4.prefixLength(network.mask()));
            }
        }
    }

    private void route(int network, int prefix, int source) throws IOException {
        if (source != 0) {
            links.addRoute(network, prefix, esp.tunName(), source);
        } else {
            links.addRoute(network, prefix, esp.tunName());
        }
        routes.add(Ipv4.format(network) + "/" + prefix + " dev " + esp.tunName());
    }

    private void unroute(int network, int prefix) {
        String name = Ipv4.format(network) + "/" + prefix;
        try {
            links.deleteRoute(network, prefix, esp.tunName());
        } catch (IOException e) {
            // already gone with the TUN
        }
        routes.remove(name + " dev " + esp.tunName());
    }

    /**
     * Keeps IKE and ESP to the gateway in use on the path they use now, once "everything" goes into the tunnel; a
     * failover moves the pin to the new gateway.
     */
    private void pinHub() throws IOException {
        String hub = Ipv4.format(gateway);
        if ((hub + "/32").equals(pinnedHubRoute)) {
            return;
        }
        undoRoutes();
        String[] words = links.ip("-4", "route", "get", hub).strip().split("\\s+");
        List<String> args = new ArrayList<>(List.of("route", "replace", hub + "/32"));
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("via") || words[i].equals("dev")) {
                args.add(words[i]);
                args.add(words[i + 1]);
            }
        }
        links.ip(args.toArray(String[]::new));
        pinnedHubRoute = hub + "/32";
        routes.add(String.join(" ", args.subList(2, args.size())));
    }

    private void undoRoutes() {
        if (pinnedHubRoute != null) {
            try {
                links.ip("route", "del", pinnedHubRoute);
            } catch (IOException e) {
                log("vpnrouter client: could not remove the route to the hub: " + e.getMessage());
            }
            String pinned = pinnedHubRoute;
            routes.removeIf(r -> r.equals(pinned) || r.startsWith(pinned + " "));
            pinnedHubRoute = null;
        }
    }

    /**
     * The hub's DNS names, as far as they are names: a DEFAULT_DOMAIN or SPLIT_DNS entry that is not (a hostile hub
     * could send {@code x\nnameserver 203.0.113.66} for the DNS file) is dropped with a warning.
     */
    static ClientConfig withValidDnsNames(ClientConfig cfg, Consumer<String> warn) {
        String domain = cfg.domain();
        if (domain != null && !DnsName.isValid(domain)) {
            warn.accept("vpnrouter client: the hub's default domain \"" + Printable.of(domain) + "\" is not a DNS "
                    + "name (letters, digits, hyphens, dots; labels of 1-63, 253 at most): ignored");
            domain = null;
        }
        List<String> splitDns = new ArrayList<>();
        for (String name : cfg.splitDns()) {
            if (DnsName.isValid(name)) {
                splitDns.add(name);
            } else {
                warn.accept("vpnrouter client: the hub's split DNS name \"" + Printable.of(name) + "\" is not a DNS "
                        + "name: ignored");
            }
        }
        return cfg.withDnsNames(domain, splitDns);
    }

    private void writeDns(ClientConfig cfg) throws IOException {
        Path file = options.dnsFile();
        if (file == null || cfg.dns().isEmpty()) {
            return;
        }
        if (!dnsWritten) {
            previousDns = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        }
        Files.writeString(file, dnsFileText(cfg, gateway), StandardCharsets.UTF_8);
        dnsWritten = true;
    }

    /** The resolver file for {@code cfg} (its names already checked by {@link #withValidDnsNames}). */
    static String dnsFileText(ClientConfig cfg, int hub) {
        StringBuilder sb = new StringBuilder("# written by vpnrouter client for the hub " + Ipv4.format(hub)
                + "; restored when it disconnects\n");
        if (cfg.domain() != null) {
            sb.append("search ").append(cfg.domain()).append('\n');
        }
        for (int dns : cfg.dns()) {
            sb.append("nameserver ").append(Ipv4.format(dns)).append('\n');
        }
        return sb.toString();
    }

    private void restoreDns() throws IOException {
        if (!dnsWritten) {
            return;
        }
        if (previousDns == null) {
            Files.deleteIfExists(options.dnsFile());
        } else {
            Files.writeString(options.dnsFile(), previousDns, StandardCharsets.UTF_8);
        }
        dnsWritten = false;
    }

    private void log(String line) {
        if (options.debug() != null) {
            options.debug().accept(line);
        } else {
            System.err.println(line);
        }
    }

    /** What the client received, as the Cisco client's statistics window shows it. */
    public static String describe(ClientConfig cfg, ChildSa child, List<String> routes) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Client address", cfg.address() == 0 ? "-" : Ipv4.format(cfg.address())
                + (cfg.netmask() == 0 ? "" : " netmask " + Ipv4.format(cfg.netmask())));
        line(sb, "DNS servers", cfg.dns().isEmpty() ? "-" : String.join(" ", cfg.dns().stream().map(Ipv4::format)
                .toList()));
        line(sb, "WINS servers", cfg.wins().isEmpty() ? "-" : String.join(" ", cfg.wins().stream()
                .map(Ipv4::format).toList()));
        line(sb, "Default domain", cfg.domain() == null ? "-" : Printable.of(cfg.domain()));
        line(sb, "Split networks", cfg.splitNetworks().isEmpty() ? "none: all traffic goes through the tunnel"
                : String.join(" ", cfg.splitNetworks().stream().map(s -> Ipv4.format(s.address()) + "/"
                        + Ipv4.prefixLength(s.mask())).toList()));
        if (!cfg.splitDns().isEmpty()) {
            line(sb, "Split DNS", Printable.of(String.join(" ", cfg.splitDns())));
        }
        if (cfg.banner() != null) {
            // The hub's text: each of its lines (IOS banners may have several) on one of ours, escaped.
            String label = "Banner:";
            for (String l : cfg.banner().split("\r?\n", -1)) {
                sb.append(String.format("  %-16s %s%n", label, Printable.of(l)));
                label = "";
            }
        }
        if (child != null) {
            line(sb, "Tunnel", child.transform().iosTransform() + ", SPI in 0x"
                    + Integer.toHexString(child.inboundSpi()).toUpperCase() + " out 0x"
                    + Integer.toHexString(child.outboundSpi()).toUpperCase()
                    + (child.udpEncapsulated() ? ", UDP-encapsulated (NAT-T)" : ", ESP") + ", lifetime "
                    + child.lifetimeSeconds() + " s");
        }
        if (routes != null && !routes.isEmpty()) {
            line(sb, "Routes", String.join(", ", routes));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format("  %-16s %s%n", label + ":", value));
    }
}
