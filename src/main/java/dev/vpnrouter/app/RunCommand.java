package dev.vpnrouter.app;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.net.LinkConfig;
import dev.vpnrouter.router.LinuxDataPlane;
import dev.vpnrouter.router.RouterRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vpnrouter run --config FILE}: the router on this Linux box: IKE on the outside interface's UDP 500/4500,
 * ESP through a TUN device ({@code --tun}, default vpnr0) with routes for the protected networks, raw ESP or
 * ESP-in-UDP on the wire. As on IOS, the first packet that matches a static crypto map entry brings its tunnel up.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the router with an IOS configuration (needs root for ports 500/4500).")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "IOS configuration")
    Path config;

    @Option(names = "--interface", paramLabel = "IOS=LINUX",
            description = "map an IOS interface to a Linux one, e.g. FastEthernet0/0=eth0 (needed for ip address dhcp)")
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
        ParseResult parsed;
        try {
            parsed = ConfigLoader.load(config);
        } catch (IOException e) {
            System.err.println("vpnrouter: cannot read " + config + ": " + e.getMessage());
            return 2;
        }
        long errors = 0;
        for (Diagnostic d : parsed.diagnostics()) {
            if (d.isError()) {
                errors++;
                System.err.println(d.format(config.toString()));
                System.err.println(d.caretBlock());
            }
        }
        if (errors > 0 && strict) {
            System.err.println("vpnrouter: " + errors + " error(s) in " + config + "; not starting (--strict)");
            return 1;
        }
        ConfigPolicy policy = new ConfigPolicy(parsed.config());
        if (policy.outsideInterface() == null) {
            System.err.println("vpnrouter: no interface carries a crypto map: nothing to run");
            return 1;
        }
        Map<String, String> map = new HashMap<>();
        for (String m : interfaces) {
            int eq = m.indexOf('=');
            if (eq <= 0) {
                System.err.println("vpnrouter: --interface " + m + ": expected IOSNAME=linuxname");
                return 2;
            }
            map.put(m.substring(0, eq), m.substring(eq + 1));
        }
        Interface outside = parsed.config().iface(policy.outsideInterface()).orElseThrow();
        Integer address = switch (outside.address()) {
            case InterfaceAddress.Static s -> s.address();
            case InterfaceAddress.Dhcp d -> dhcpAddress(outside.name(), map.get(outside.name()));
            case InterfaceAddress.None n -> null;
        };
        if (address == null) {
            System.err.println("vpnrouter: " + outside.name() + " has no usable address");
            return 1;
        }
        RouterRuntime runtime;
        try {
            runtime = RouterRuntime.start(address, a -> forceUdp(new IkeEngine(policy, a, new SecureRandom()), forced), keyLog,
                    debug ? System.out::println : null);
        } catch (IOException e) {
            System.err.println("vpnrouter: " + e.getMessage());
            return 1;
        }
        Integer inside = insideAddress(parsed.config());
        LinuxDataPlane esp;
        try {
            esp = LinuxDataPlane.start(runtime, tunName, inside == null ? address : inside,
                    System.err::println);
        } catch (IOException e) {
            System.err.println("vpnrouter: cannot start the ESP data plane: " + e.getMessage());
            runtime.close();
            return 1;
        }
        System.out.println(runtime.summary() + "; ESP through " + esp.tunName());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close(); // sends Deletes to every peer
                esp.close();
            } catch (IOException e) {
                System.err.println("vpnrouter: " + e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** The first interface without a crypto map that has a static address: the inside one. */
    private static Integer insideAddress(dev.vpnrouter.config.model.RouterConfig config) {
        for (Interface i : config.interfaces()) {
            if (i.cryptoMap().isEmpty() && !i.shutdown() && i.address() instanceof InterfaceAddress.Static s) {
                return s.address();
            }
        }
        return null;
    }

    /** For {@code ip address dhcp}: the address the system's DHCP client put on the mapped Linux interface. */
    private static Integer dhcpAddress(String iosName, String linuxName) throws IOException {
        if (linuxName == null) {
            System.err.println("vpnrouter: " + iosName + " takes its address from DHCP; map it with --interface "
                    + iosName + "=<linux interface>");
            return null;
        }
        List<LinkConfig.InterfaceAddress> addrs = LinkConfig.current().addresses(linuxName);
        if (addrs.isEmpty()) {
            System.err.println("vpnrouter: " + linuxName + " has no IPv4 address yet (is its DHCP client running?)");
            return null;
        }
        System.out.println("vpnrouter: " + iosName + " address determined by DHCP: "
                + Ipv4.format(addrs.getFirst().address()) + " on " + linuxName);
        return addrs.getFirst().address();
    }
}
