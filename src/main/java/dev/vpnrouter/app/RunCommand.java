package dev.vpnrouter.app;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.metrics.MetricsServer;
import dev.vpnrouter.router.AddressWatcher;
import dev.vpnrouter.router.InterfaceMap;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.LinuxInterfaces;
import dev.vpnrouter.router.RouterLogging;
import dev.vpnrouter.router.RouterRuntime;
import dev.vpnrouter.router.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vpnrouter run --config FILE}: the router on this Linux box: IKE on the outside interface's UDP 500/4500,
 * ESP through a TUN device ({@code --tun}, default vpnr0) with routes for the protected networks, raw ESP or
 * ESP-in-UDP on the wire. As on IOS, the first packet that matches a static crypto map entry brings its tunnel up.
 * The crypto map's IOS interface is bound to a Linux one by {@link InterfaceMap}'s rules; with {@code ip address
 * dhcp} the router runs on the address the system's DHCP client gave it and follows it when it changes. SIGTERM
 * (or SIGINT) sends Deletes to the peers and exits 0; SIGHUP reads the file again ({@link ConfigReload}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the router with an IOS configuration (needs root for ports 500/4500).",
        footerHeading = "%nSignals:%n",
        footer = {"SIGTERM or SIGINT: send Delete payloads to every peer, then exit 0 (systemctl stop).",
                "SIGHUP: read the --config file again and apply it as configure replace would (systemctl reload): "
                        + "new negotiations use it, SAs that are up stay. A file with errors is refused with its "
                        + "IOS-style errors and the running configuration stays; so is one that moves the crypto "
                        + "map's interface or its address, which takes a restart."})
final class RunCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "IOS configuration")
    Path config;

    @Option(names = "--interface", paramLabel = "IOS=LINUX",
            description = "map an IOS interface to a Linux one, e.g. FastEthernet0/0=eth0 (default: by description, "
                    + "name, address or, for ip address dhcp, the default route; see the README)")
    List<String> interfaces = List.of();

    @Option(names = "--strict", description = "refuse to start when the configuration has errors")
    boolean strict;

    @Option(names = "--debug", description = "print debug crypto isakmp/ipsec lines")
    boolean debug;

    @Option(names = "--tun", paramLabel = "NAME", description = "TUN device for cleartext packets (default: vpnr0)")
    String tunName = "vpnr0";

    @Option(names = "--key-log", paramLabel = "FILE",
            description = "append ISAKMP keys (cookie,Ka) for tshark's ikev1_decryption_table; secrets: use only to debug")
    Path keyLog;

    @Option(names = "--ssh-port", paramLabel = "PORT",
            description = "serve the exec CLI over SSH on this port (line vty login as the config says; default: off)")
    int sshPort = -1;

    @Option(names = "--ssh-address", paramLabel = "ADDRESS",
            description = "listen for SSH only on this address (default: every address, as IOS's vty lines)")
    String sshAddress;

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "Unix socket for 'vpnrouter console' (default: /run/vpnrouter/HOSTNAME.sock, after the "
                    + "config's hostname; 'none' for off)")
    String controlSocket;

    /** The router's events and, with --debug, its IOS debug lines: through SLF4J (docs/logging.md). */
    private final java.util.function.Consumer<String> log = org.slf4j.LoggerFactory.getLogger("vpnrouter")::info;
    private final java.util.function.Consumer<String> debugLog =
            org.slf4j.LoggerFactory.getLogger("vpnrouter.debug")::info;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve Prometheus metrics on http://ADDRESS:PORT/metrics")
    Integer metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS",
            description = "address for --metrics-port (default: 127.0.0.1; 0.0.0.0 for every interface)")
    String metricsAddress = "127.0.0.1";

    private final PrintStream err = System.err;

    @Option(names = "--force-udp-encapsulation", paramLabel = "PEER|all",
            description = "carry ESP in UDP 4500 with this peer even when no NAT is found, for paths that drop IP "
                    + "protocol 50 (repeatable; 'all' for every peer; the peer must speak NAT-T)")
    List<String> forceUdpEncapsulation = List.of();

    /** The peers of {@code --force-udp-encapsulation}; null (after a message) when one is not an address. */
    static List<Integer> forcedPeers(List<String> values) {
        List<Integer> peers = new java.util.ArrayList<>();
        for (String v : values) {
            if (v.equalsIgnoreCase("all")) {
                peers.add(null);
                continue;
            }
            try {
                peers.add(Ipv4.parse(v));
            } catch (IllegalArgumentException e) {
                System.err.println("vpnrouter: --force-udp-encapsulation " + v + ": expected a peer's IPv4 address "
                        + "or 'all'");
                return null;
            }
        }
        return peers;
    }

    /** Applies {@code --force-udp-encapsulation} to a new engine (a null entry means every peer). */
    static IkeEngine forceUdp(IkeEngine engine, List<Integer> peers) {
        for (Integer peer : peers) {
            if (peer == null) {
                engine.forceUdpEncapsulationForAllPeers();
            } else {
                engine.forceUdpEncapsulation(peer);
            }
        }
        return engine;
    }

    @Override
    public Integer call() throws Exception {
        List<Integer> forced = forcedPeers(forceUdpEncapsulation);
        if (forced == null) {
            return 2;
        }
        // 1. The configuration: IOS diagnostics, then run with what loaded unless --strict.
        ParseResult parsed;
        try {
            parsed = ConfigLoader.load(config);
        } catch (IOException e) {
            err.println("vpnrouter: cannot read " + config + ": " + e.getMessage());
            return USAGE;
        }
        long errors = ConfigReload.report(ConfigReport.diagnostics(parsed), config, err);
        if (errors > 0 && strict) {
            err.println("vpnrouter: " + errors + " error(s) in " + config + "; not starting (--strict)");
            return FAILED;
        }
        if (errors > 0) {
            err.println("vpnrouter: " + errors + " error(s) in " + config + "; running with the lines that loaded"
                    + " (--strict refuses)");
        }
        ConfigPolicy policy = new ConfigPolicy(parsed.config());
        if (policy.outsideInterface() == null) {
            err.println("vpnrouter: no interface carries a crypto map: nothing to run");
            return FAILED;
        }

        // 2. The outside interface: which Linux interface, which address.
        InterfaceMap map;
        try {
            map = InterfaceMap.parse(interfaces);
        } catch (IllegalArgumentException e) {
            err.println("vpnrouter: " + e.getMessage());
            return USAGE;
        }
        Interface outside = parsed.config().iface(policy.outsideInterface()).orElseThrow();
        InterfaceMap.Binding binding;
        boolean dhcp = outside.address() instanceof InterfaceAddress.Dhcp;
        int address;
        try {
            binding = map.resolve(outside, LinuxInterfaces.read());
            if (outside.address() instanceof InterfaceAddress.Static s) {
                address = s.address();
            } else {
                List<Integer> held = LinuxInterfaces.addressesOf(binding.linuxName());
                if (held.isEmpty()) {
                    err.println("vpnrouter: " + outside.name() + " takes its address from DHCP, but "
                            + binding.linuxName() + " has no IPv4 address yet (is its DHCP client running?)");
                    return FAILED;
                }
                address = held.getFirst();
            }
        } catch (InterfaceMap.Unmapped | IOException e) {
            err.println("vpnrouter: " + e.getMessage());
            return FAILED;
        }

        // 3. IKE on 500/4500 (a second instance is refused here), then ESP through the TUN.
        RouterRuntime runtime;
        try {
            runtime = RouterRuntime.start(address,
                    a -> forceUdp(new IkeEngine(policy, a, new SecureRandom()), forced), keyLog,
                    debug ? debugLog : null);
        } catch (IOException e) {
            err.println("vpnrouter: not starting: " + e.getMessage());
            return FAILED;
        }
        runtime.logTo(log);
        // The router's one RADIUS client: Xauth (the runtime) and vty logins, show aaa servers and test aaa (the
        // exec servers) share its socket, dead-time state and counters. Closed last, when everything is stopped.
        dev.vpnrouter.radius.RadiusLogins radius = new dev.vpnrouter.radius.RadiusLogins(
                dev.vpnrouter.config.RadiusGroups.of(parsed.config()));
        runtime.useRadius(radius);
        Integer inside = insideAddress(parsed.config());
        LinuxDataPlane esp;
        try {
            esp = LinuxDataPlane.start(runtime, tunName, inside == null ? address : inside, err::println);
        } catch (IOException e) {
            err.println("vpnrouter: cannot start the ESP data plane: " + e.getMessage());
            runtime.close();
            return FAILED;
        }
        // Accounting reads a session's IPsec SAs' traffic where show crypto ipsec sa does.
        runtime.useSessionCounters(child -> esp.inspect(dp -> {
            dev.vpnrouter.dataplane.SaStatus s = dp.sa(child.id());
            return s == null ? null : new long[] {s.inbound().bytes(), s.outbound().bytes(), s.inbound().packets(),
                    s.outbound().packets()};
        }));
        RouterLogging logging;
        try {
            logging = RouterLogging.attach(runtime, parsed.config(),
                    () -> esp.inspect(dp -> dp.counters().messagesRateLimited()));
        } catch (IOException e) {
            err.println("vpnrouter: not starting: no socket for syslog: " + e.getMessage());
            runtime.shutdown();
            esp.close();
            return FAILED;
        }
        MetricsServer metrics;
        try {
            metrics = metricsPort == null ? null : MetricsServer.forRouter(metricsAddress, metricsPort, runtime, esp);
        } catch (IOException e) {
            err.println("vpnrouter: not starting: " + e.getMessage());
            runtime.shutdown();
            esp.close();
            logging.close();
            return FAILED;
        }
        AddressWatcher watcher = dhcp ? AddressWatcher.start(runtime, outside.name(), binding.linuxName(),
                log) : null;
        log.accept(runtime.summary() + "; " + binding + " (" + binding.rule() + ")" + (dhcp ? ", address "
                + "determined by DHCP, followed" : "") + "; ESP raw and in UDP, cleartext through " + esp.tunName()
                + (metrics == null ? "" : "; metrics on " + metrics.url()));
        dev.vpnrouter.cli.remote.ExecServers cli;
        dev.vpnrouter.cli.EngineRouter router = ExecCli.router(runtime, esp, logging, parsed.config(), config, debug);
        try {
            cli = ExecCli.start(runtime, router, logging, sshAddress, sshPort,
                    controlSocket == null ? ExecCli.defaultSocket(parsed.config())
                            : controlSocket.equals("none") ? null : Path.of(controlSocket), ExecCli.DEFAULT_HOST_KEY);
            log.accept(cli.summary());
        } catch (IOException e) {
            err.println("vpnrouter: " + e.getMessage());
            if (watcher != null) {
                watcher.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            runtime.shutdown();
            esp.close();
            logging.close();
            return FAILED;
        }

        // 4. SIGHUP (systemctl reload): the file again, through configure terminal's path, on a thread of its own so
        // a reload never waits in the JVM's signal thread; one at a time.
        ConfigReload reload = new ConfigReload(config, () -> runtime.query(e -> router.config()), router,
                work -> runtime.query(e -> {
                    work.run();
                    return null;
                }), err, log);
        java.util.concurrent.ExecutorService reloads = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("vpnrouter-reload").daemon().unstarted(r));
        Runnable reloadOnce = () -> {
            try {
                reload.reload();
            } catch (RuntimeException e) {
                err.println("vpnrouter: reload failed: " + e.getMessage() + "; the running configuration stays");
            }
        };
        if (!ConfigReload.onSighup(() -> {
            try {
                reloads.execute(reloadOnce);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping: no reload any more
            }
        })) {
            err.println("vpnrouter: SIGHUP is reserved by the JVM here: no reload on SIGHUP");
        }

        // 5. Until SIGTERM/SIGINT: then Deletes to every peer, and exit 0.
        StopSignal signal = StopSignal.install();
        Runnable stop = StopSignal.once(() -> {
            reloads.shutdownNow(); // a reload that has begun finishes its step on the loop; none starts after this
            if (watcher != null) {
                watcher.close();
            }
            try {
                cli.close();
            } catch (IOException e) {
                err.println("vpnrouter: " + e.getMessage());
            }
            if (metrics != null) {
                metrics.close();
            }
            int deleted = runtime.shutdown(); // sends Deletes to every peer, logs ISAKMP is OFF
            try {
                logging.close();
            } catch (IOException e) {
                err.println("vpnrouter: " + e.getMessage());
            }
            try {
                esp.close();
            } catch (IOException e) {
                err.println("vpnrouter: " + e.getMessage());
            }
            radius.close();
            log.accept("vpnrouter: " + policy.hostname() + " stopped; Deletes sent for " + deleted
                    + " ISAKMP SA(s)");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "vpnrouter-shutdown"));
        while (!signal.await(1_000)) {
            if (!runtime.isRunning()) {
                signal.request("the IKE loop stopped: " + runtime.failure());
            }
        }
        String why = signal.await();
        log.accept("vpnrouter: " + why + ": stopping");
        stop.run();
        return runtime.failure() == null ? 0 : FAILED;
    }

    /** The first interface without a crypto map that has a static address: the inside one. */
    private static Integer insideAddress(RouterConfig config) {
        for (Interface i : config.interfaces()) {
            if (i.cryptoMap().isEmpty() && !i.shutdown() && i.address() instanceof InterfaceAddress.Static s) {
                return s.address();
            }
        }
        return null;
    }
}
