package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.net.Command;
import dev.vpnrouter.net.LinkConfig;
import dev.vpnrouter.net.NetNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One Linux network namespace made for a test. Its name is unique to this JVM and carries the JVM's pid
 * ({@code vrt-<pid>-<n>-<role>}), so parallel builds never collide and namespaces left by a killed run are found
 * and removed by the next one. {@link #close()} stops every program started in it, kills whatever else still runs
 * there, and deletes it; a shutdown hook closes namespaces a crashed test left open.
 */
public final class NetNs implements AutoCloseable {
    /** Prefix of every namespace the harness creates. */
    public static final String PREFIX = "vrt-";
    /** Default limit for one command run inside a namespace. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<NetNs> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean staleRemoved;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(NetNs::close),
                "netns-cleanup"));
    }

    private final String name;
    private final String role;
    private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private NetNs(String name, String role) {
        this.name = name;
        this.role = role;
    }

    /**
     * Creates a namespace for {@code role} (letters, digits, dashes; shown in its name), with loopback up.
     * Fails with a clear message when not root or iproute2 is missing.
     */
    public static NetNs create(String role) throws IOException {
        Prerequisites.require("ip");
        if (!role.matches("[a-z0-9-]{1,20}")) {
            throw new IllegalArgumentException("role must be 1-20 of [a-z0-9-]: " + role);
        }
        removeStale();
        String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + role;
        Command.run(COMMAND_TIMEOUT, ip(), "netns", "add", name).check();
        NetNs ns = new NetNs(name, role);
        OPEN.add(ns);
        try {
            ns.links().up("lo");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The name {@code ip netns} knows it by. */
    public String name() {
        return name;
    }

    public String role() {
        return role;
    }

    /** iproute2 configuration of this namespace (addresses, links, routes) through the edge's {@link LinkConfig}. */
    public LinkConfig links() {
        return LinkConfig.in(name);
    }

    /** Runs a command inside the namespace (as {@code ip netns exec}), bounded by {@code timeout}. */
    public Command.Result exec(Duration timeout, String... command) throws IOException {
        return Command.run(timeout, wrap(List.of(command)));
    }

    /** Runs a command inside the namespace with the default limit and requires exit 0; returns stdout. */
    public String run(String... command) throws IOException {
        return exec(COMMAND_TIMEOUT, command).check().stdout();
    }

    /** Starts a background program inside the namespace; it is stopped on {@link #close()} at the latest. */
    public Daemon start(String label, Path log, List<String> command) throws IOException {
        return start(label, log, command, Map.of());
    }

    public Daemon start(String label, Path log, List<String> command, Map<String, String> env) throws IOException {
        ensureOpen();
        Daemon daemon = Daemon.start(label + "@" + role, log, wrap(command), env);
        daemons.add(daemon);
        return daemon;
    }

    /**
     * Starts {@code mainClass} in a new JVM inside the namespace, with this JVM's java binary and class path (our
     * router as a separate process, e.g. {@code dev.vpnrouter.app.Main run --config ...}).
     */
    public Daemon startJava(String label, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return start(label, log, command);
    }

    /** Runs Java code with this namespace as the calling thread's network namespace (see {@link NetNamespace}). */
    public <T> T call(Callable<T> action) throws IOException {
        ensureOpen();
        return NetNamespace.call(name, action);
    }

    /**
     * A veth pair: {@code ifname} here and {@code peerIfname} in {@code peer}, both created inside their namespaces
     * (interface names need only be unique per namespace) and brought up.
     */
    public void veth(String ifname, NetNs peer, String peerIfname) throws IOException {
        links().ip("link", "add", ifname, "type", "veth", "peer", "name", peerIfname, "netns", peer.name);
        links().up(ifname);
        peer.links().up(peerIfname);
    }

    /** Adds an address in CIDR form, e.g. {@code "10.1.1.1/23"}. */
    public void addAddress(String ifname, String cidr) throws IOException {
        String[] parts = cidr.split("/");
        links().addAddress(ifname, Ipv4.parse(parts[0]), Integer.parseInt(parts[1]));
    }

    /** A route to {@code cidr} via a gateway; {@code "default"} for the default route. */
    public void addRoute(String cidr, String gateway) throws IOException {
        links().ip("route", "replace", cidr, "via", gateway);
    }

    public void defaultRoute(String gateway) throws IOException {
        addRoute("default", gateway);
    }

    /** Sets a sysctl inside the namespace, e.g. {@code sysctl("net.ipv4.ip_forward", "1")}. */
    public void sysctl(String key, String value) throws IOException {
        String path = "/proc/sys/" + key.replace('.', '/');
        exec(COMMAND_TIMEOUT, "sh", "-c", "echo " + value + " > " + path).check();
    }

    /**
     * Turns IPv6 off for the namespace and for interfaces created in it later, so captures and TUNs carry no
     * router solicitations or MLD reports.
     */
    public void disableIpv6() throws IOException {
        exec(COMMAND_TIMEOUT, "sh", "-c", "[ ! -d /proc/sys/net/ipv6 ] || { echo 1 > "
                + "/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; }")
                .check();
    }

    public void enableForwarding() throws IOException {
        sysctl("net.ipv4.ip_forward", "1");
    }

    /** The IPv4 addresses on an interface here. */
    public List<Integer> addresses(String ifname) throws IOException {
        return links().addresses(ifname).stream().map(LinkConfig.InterfaceAddress::address).toList();
    }

    /** Pings from here; returns the result (exit 0 when at least one reply came back). */
    public Command.Result ping(String target, int count, Duration timeout) throws IOException {
        long perReplySeconds = Math.max(1, timeout.toSeconds());
        return exec(timeout.plusSeconds(2), "ping", "-n", "-c", Integer.toString(count), "-i", "0.2",
                "-W", Long.toString(perReplySeconds), "-w", Long.toString(perReplySeconds), target);
    }

    /** Asserts that {@code count} pings to {@code target} all come back within {@code timeout}. */
    public void assertPing(String target, int count, Duration timeout) throws IOException {
        Command.Result result = ping(target, count, timeout);
        if (!result.ok() || !result.stdout().contains(" " + count + " received")) {
            throw new AssertionError("ping " + role + " -> " + target + " failed:\n" + result.describe() + "\n"
                    + diagnostics());
        }
    }

    /** Pids of every process running in this namespace. */
    public List<Long> pids() throws IOException {
        Command.Result result = Command.run(COMMAND_TIMEOUT, ip(), "netns", "pids", name);
        if (!result.ok()) {
            return List.of();
        }
        return result.stdout().lines().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    /** Addresses, routes (main and strongSwan's table 220) and links: for failure messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder("--- namespace ").append(name).append(" ---\n");
        for (String[] args : new String[][] {{"-br", "addr"}, {"route"}, {"route", "show", "table", "220"}, {"route", "show", "table", "4500"}, {"rule"}}) {
            try {
                b.append("$ ip ").append(String.join(" ", args)).append('\n').append(links().ip(args));
            } catch (IOException e) {
                b.append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    private List<String> wrap(List<String> command) throws IOException {
        ensureOpen();
        List<String> full = new ArrayList<>(List.of(ip(), "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("namespace " + name + " is closed");
        }
    }

    /** Stops the programs started here, kills any other process left inside, deletes the namespace. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        List<Daemon> started;
        synchronized (daemons) {
            started = new ArrayList<>(daemons);
        }
        Collections.reverse(started);
        started.forEach(d -> d.stop(Duration.ofSeconds(3)));
        killAndDelete(name);
    }

    /** Kills what still runs in a harness namespace (only ever ours: its name says so) and deletes it. */
    private static void killAndDelete(String name) {
        try {
            String ip = ip();
            for (int attempt = 0; attempt < 3; attempt++) {
                Command.Result pids = Command.run(COMMAND_TIMEOUT, ip, "netns", "pids", name);
                List<Long> alive = pids.stdout().lines().map(String::trim).filter(s -> !s.isEmpty())
                        .map(Long::parseLong).toList();
                if (alive.isEmpty()) {
                    break;
                }
                boolean gentle = attempt == 0;
                for (long pid : alive) {
                    ProcessHandle.of(pid).ifPresent(p -> {
                        if (gentle) {
                            p.destroy();
                        } else {
                            p.destroyForcibly();
                        }
                    });
                }
                Daemon.sleep(300);
            }
            Command.run(COMMAND_TIMEOUT, ip, "netns", "del", name);
        } catch (IOException e) {
            System.err.println("could not delete namespace " + name + ": " + e.getMessage());
        }
    }

    /** Once per JVM: removes namespaces of earlier harness runs whose JVM is gone. */
    private static void removeStale() {
        if (staleRemoved) {
            return;
        }
        synchronized (NetNs.class) {
            if (staleRemoved) {
                return;
            }
            staleRemoved = true;
            removeStaleNamespaces();
        }
    }

    /** Deletes every {@code vrt-<pid>-...} namespace whose owning JVM no longer runs. */
    static void removeStaleNamespaces() {
        synchronized (NetNs.class) {
            Path dir = Path.of("/run/netns");
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    String n = entry.getFileName().toString();
                    if (!n.startsWith(PREFIX)) {
                        continue;
                    }
                    String[] parts = n.substring(PREFIX.length()).split("-", 2);
                    try {
                        long owner = Long.parseLong(parts[0]);
                        if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                            continue; // another live JVM's namespace
                        }
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    killAndDelete(n);
                }
            } catch (IOException e) {
                System.err.println("could not list /run/netns: " + e.getMessage());
            }
        }
    }

    private static String ip() throws IOException {
        String ip = Command.find("ip");
        if (ip == null) {
            throw new IOException("iproute2's `ip` is not installed (apt-get install iproute2)");
        }
        return ip;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Two namespaces joined by a veth pair {@code ifname} (same name on both sides), IPv6 off, one address each. */
    public record Pair(NetNs left, NetNs right) implements AutoCloseable {
        public static Pair linked(String leftRole, String leftCidr, String rightRole, String rightCidr, String ifname)
                throws IOException {
            Prerequisites.require("ip");
            NetNs left = NetNs.create(leftRole);
            NetNs right;
            try {
                right = NetNs.create(rightRole);
            } catch (IOException | RuntimeException e) {
                left.close();
                throw e;
            }
            Pair pair = new Pair(left, right);
            try {
                left.disableIpv6();
                right.disableIpv6();
                left.veth(ifname, right, ifname);
                left.addAddress(ifname, leftCidr);
                right.addAddress(ifname, rightCidr);
            } catch (IOException | RuntimeException e) {
                pair.close();
                throw e;
            }
            return pair;
        }

        @Override
        public void close() {
            right.close();
            left.close();
        }
    }
}
