package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.net.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * DHCP for a spoke whose outside address the hub cannot know: dnsmasq (DHCP only, DNS off, no ping check so an
 * offer comes at once) serves a range on one interface; {@link #lease} runs busybox udhcpc in the client namespace
 * with a small script of ours that sets the address and default route, and returns the leased address.
 */
public final class Dhcp implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger CLIENT_IDS = new java.util.concurrent.atomic.AtomicInteger();

    private final NetNs serverNs;
    private final Daemon dnsmasq;
    private final Path dir;
    private final Path script;

    private Dhcp(NetNs serverNs, Daemon dnsmasq, Path dir, Path script) {
        this.serverNs = serverNs;
        this.dnsmasq = dnsmasq;
        this.dir = dir;
        this.script = script;
    }

    /**
     * Serves {@code first..last} with {@code prefixLength} and {@code router} as the default gateway on
     * {@code ifname} of {@code ns}. Waits (bounded) until dnsmasq reports it is serving.
     */
    public static Dhcp serve(NetNs ns, String ifname, int first, int last, int prefixLength, int router, Path dir)
            throws IOException {
        Prerequisites.require("dnsmasq", "udhcpc");
        Files.createDirectories(dir);
        Path script = dir.resolve("udhcpc.script");
        Files.writeString(script, """
                #!/bin/sh
                # udhcpc calls this with deconfig, bound, renew, leasefail or nak.
                case "$1" in
                  deconfig)
                    ip -4 addr flush dev "$interface"
                    ip link set dev "$interface" up ;;
                  bound|renew)
                    ip -4 addr flush dev "$interface"
                    ip addr add "$ip/$subnet" dev "$interface"
                    if [ -n "$router" ]; then ip route replace default via "${router%% *}" dev "$interface"; fi
                    echo "$ip" > "$LEASE_FILE" ;;
                esac
                exit 0
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String mask = Ipv4.format(Ipv4.maskOf(prefixLength));
        List<String> command = List.of(Prerequisites.resolve("dnsmasq"), "--no-daemon", "--conf-file=/dev/null",
                "--port=0", "--interface=" + ifname, "--bind-interfaces", "--except-interface=lo",
                "--dhcp-range=" + Ipv4.format(first) + "," + Ipv4.format(last) + "," + mask + ",1h",
                "--dhcp-option=option:router," + Ipv4.format(router), "--dhcp-authoritative", "--no-ping",
                "--dhcp-leasefile=" + dir.resolve("dnsmasq.leases").toAbsolutePath(),
                "--pid-file=" + dir.resolve("dnsmasq.pid").toAbsolutePath(),
                "--user=root", "--group=root", "--log-dhcp", "--log-facility=-");
        Daemon daemon = ns.start("dnsmasq", dir.resolve("dnsmasq.log"), command);
        Dhcp dhcp = new Dhcp(ns, daemon, dir, script);
        try {
            daemon.awaitLog(Pattern.compile("DHCP, sockets bound exclusively|DHCP, IP range"), Duration.ofSeconds(10));
        } catch (AssertionError e) {
            dhcp.close();
            throw e;
        }
        return dhcp;
    }

    /** Obtains a lease on {@code ifname} in {@code client}; returns the address now configured there. */
    public int lease(NetNs client, String ifname, Duration timeout) throws IOException {
        return lease(client, ifname, 0, timeout);
    }

    /**
     * Like {@link #lease(NetNs, String, Duration)}, asking for {@code requested} (0: any). dnsmasq gives a client
     * its existing lease back whatever it asks for, so a request for a specific address goes out under a fresh
     * DHCP client identifier: that is how a test renumbers the spoke (the ISP hands out a new address).
     */
    public int lease(NetNs client, String ifname, int requested, Duration timeout) throws IOException {
        Path leaseFile = dir.resolve("lease-" + client.role() + "-" + ifname);
        Files.deleteIfExists(leaseFile);
        List<String> command = new ArrayList<>(List.of("env", "LEASE_FILE=" + leaseFile.toAbsolutePath(),
                Prerequisites.resolve("udhcpc"), "-f", "-q", "-n", "-i", ifname, "-s",
                script.toAbsolutePath().toString(), "-t", "10", "-T", "1", "-A", "1"));
        if (requested != 0) {
            command.add("-r");
            command.add(Ipv4.format(requested));
            command.add("-x");
            command.add(String.format("0x3d:ff%08x%08x", requested, CLIENT_IDS.incrementAndGet()));
        }
        Command.Result result = client.exec(timeout, command.toArray(String[]::new));
        if (!result.ok() || !Files.exists(leaseFile)) {
            throw new AssertionError("no DHCP lease for " + client.role() + "/" + ifname + ":\n"
                    + result.describe() + "\n--- dnsmasq ---\n" + dnsmasq.logTail(30));
        }
        int address = Ipv4.parse(Files.readString(leaseFile).trim());
        if (!client.addresses(ifname).contains(address)) {
            throw new AssertionError("udhcpc reported " + Ipv4.format(address) + " but " + ifname + " has "
                    + client.links().addresses(ifname));
        }
        return address;
    }

    public String log() {
        return dnsmasq.log();
    }

    @Override
    public void close() {
        dnsmasq.close();
    }

    @Override
    public String toString() {
        return "Dhcp[" + serverNs + "]";
    }
}
