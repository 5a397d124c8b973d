package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One-time interface and route configuration (a device coming up, a VPN client's few routes, the test harness): it
 * shells out to iproute2's {@code ip}, whose errors read well. Nothing that runs while SAs come and go uses it:
 * routes that follow SAs go through {@link RtNetlink}, without starting a process. Works on the JVM's own namespace
 * ({@link #current()}, as the calling thread sees it) or a named one ({@link #in(String)}).
 */
public final class LinkConfig {
    /** One IPv4 address on an interface. */
    public record InterfaceAddress(int address, int prefixLength) {
        @Override
        public String toString() {
            return Ipv4.format(address) + "/" + prefixLength;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String namespace;

    private LinkConfig(String namespace) {
        this.namespace = namespace;
    }

    /** Configures the namespace the JVM runs in. */
    public static LinkConfig current() {
        return new LinkConfig(null);
    }

    /** Configures the named network namespace (as {@code ip -n NAME}). */
    public static LinkConfig in(String namespace) {
        NetNamespace.pathOf(namespace); // validates the name
        return new LinkConfig(namespace);
    }

    public void addAddress(String ifname, int address, int prefixLength) throws IOException {
        ip("addr", "add", Ipv4.format(address) + "/" + prefixLength, "dev", ifname);
    }

    public void flushAddresses(String ifname) throws IOException {
        ip("-4", "addr", "flush", "dev", ifname);
    }

    public void up(String ifname) throws IOException {
        ip("link", "set", "dev", ifname, "up");
    }

    public void down(String ifname) throws IOException {
        ip("link", "set", "dev", ifname, "down");
    }

    public void setMtu(String ifname, int mtu) throws IOException {
        ip("link", "set", "dev", ifname, "mtu", Integer.toString(mtu));
    }

    /** Routes {@code network/prefixLength} into {@code ifname} ({@code ip route replace}: adding twice is fine). */
    public void addRoute(int network, int prefixLength, String ifname) throws IOException {
        ip("route", "replace", Ipv4.format(network) + "/" + prefixLength, "dev", ifname);
    }

    /** Like {@link #addRoute(int, int, String)} with the source address the kernel should pick for it. */
    public void addRoute(int network, int prefixLength, String ifname, int source) throws IOException {
        ip("route", "replace", Ipv4.format(network) + "/" + prefixLength, "dev", ifname, "src",
                Ipv4.format(source));
    }

    /** Routes {@code network/prefixLength} via a gateway; prefix 0 makes it the default route. */
    public void addRouteVia(int network, int prefixLength, int gateway) throws IOException {
        ip("route", "replace", Ipv4.format(network) + "/" + prefixLength, "via", Ipv4.format(gateway));
    }

    public void deleteRoute(int network, int prefixLength, String ifname) throws IOException {
        ip("route", "del", Ipv4.format(network) + "/" + prefixLength, "dev", ifname);
    }

    /** Turns IPv6 off on one interface, so a TUN receives no router solicitations or MLD reports. */
    public void disableIpv6(String ifname) throws IOException {
        if (!Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
            return; // kernel without IPv6
        }
        String key = "/proc/sys/net/ipv6/conf/" + ifname + "/disable_ipv6";
        if (namespace == null) {
            Files.writeString(Path.of(key), "1");
        } else {
            Command.run(TIMEOUT, ipBinary(), "netns", "exec", namespace, "sh", "-c", "echo 1 > " + key).check();
        }
    }

    /** The IPv4 addresses on {@code ifname}, in the order {@code ip} lists them. */
    public List<InterfaceAddress> addresses(String ifname) throws IOException {
        String out = ip("-4", "-o", "addr", "show", "dev", ifname);
        List<InterfaceAddress> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("inet")) {
                    String[] parts = words[i + 1].split("/");
                    result.add(new InterfaceAddress(Ipv4.parse(parts[0]),
                            parts.length > 1 ? Integer.parseInt(parts[1]) : 32));
                }
            }
        }
        return result;
    }

    /** Runs {@code ip [-n NS] args...}, requiring success; returns its stdout. */
    public String ip(String... args) throws IOException {
        return Command.run(TIMEOUT, command(args)).check().stdout();
    }

    private List<String> command(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ipBinary());
        if (namespace != null) {
            command.add("-n");
            command.add(namespace);
        }
        command.addAll(List.of(args));
        return command;
    }

    private static String ipBinary() throws IOException {
        String ip = Command.find("ip");
        if (ip == null) {
            throw new IOException("iproute2's `ip` is not installed (apt-get install iproute2)");
        }
        return ip;
    }
}
