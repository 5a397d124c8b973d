package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Printable;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The router-wide show commands: {@code show version}, {@code show users}, {@code show debugging},
 * {@code show ip interface [brief]}, {@code show running-config}, {@code show clock}, in IOS 12.4's layout.
 */
final class SystemShow {
    private SystemShow() {
    }

    static final String VERSION = version();

    private static String version() {
        String v = SystemShow.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static String showVersion(RouterView view, long now) {
        StringBuilder sb = new StringBuilder();
        sb.append("vpnrouter Software, Version ").append(VERSION)
                .append(" (IKEv1 and ESP in userspace, IOS 12.x configuration language)\n");
        sb.append("vpnrouter is not Cisco IOS; it runs IOS configurations and speaks IKEv1 with their peers.\n\n");
        sb.append(view.hostname()).append(" uptime is ").append(uptime(now - view.startedAtMillis())).append('\n');
        sb.append("System returned to ROM by power-on\n");
        sb.append("System image file is \"vpnrouter.jar\"\n\n");
        Map<String, Integer> types = new LinkedHashMap<>();
        for (InterfaceStatus i : view.interfaces()) {
            types.merge(interfaceType(i.name()), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : types.entrySet()) {
            sb.append(e.getValue()).append(' ').append(e.getKey()).append(" interface")
                    .append(e.getValue() == 1 ? "" : "s").append('\n');
        }
        sb.append("Configuration register is 0x2102\n");
        return sb.toString();
    }

    static String interfaceType(String name) {
        int i = 0;
        while (i < name.length() && !Character.isDigit(name.charAt(i))) {
            i++;
        }
        return name.substring(0, i);
    }

    /** "1 week, 2 days, 3 hours, 4 minutes", leaving out leading zero units as IOS does. */
    static String uptime(long millis) {
        long minutes = Math.max(0, millis) / 60_000;
        long weeks = minutes / (7 * 24 * 60);
        long days = minutes / (24 * 60) % 7;
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        List<String> parts = new ArrayList<>();
        if (weeks > 0) {
            parts.add(unit(weeks, "week"));
        }
        if (weeks > 0 || days > 0) {
            parts.add(unit(days, "day"));
        }
        if (weeks > 0 || days > 0 || hours > 0) {
            parts.add(unit(hours, "hour"));
        }
        parts.add(unit(mins, "minute"));
        return String.join(", ", parts);
    }

    private static String unit(long n, String name) {
        return n + " " + name + (n == 1 ? "" : "s");
    }

    /** {@code show users}: the session asking is marked with a star. */
    static String users(List<ExecSession> sessions, ExecSession self, long now) {
        StringBuilder sb = new StringBuilder("    Line       User       Host(s)              Idle       Location\n");
        List<ExecSession> ordered = new ArrayList<>(sessions);
        ordered.sort((a, b) -> Integer.compare(a.lineNumber(), b.lineNumber()));
        for (ExecSession s : ordered) {
            String line = s.line() == ExecSession.Line.CONSOLE ? "con " + s.lineIndex() : "vty " + s.lineIndex();
            long idle = s == self ? 0 : s.idleMillis(now) / 1000;
            sb.append(String.format(Locale.ROOT, "%s%3d %-9s %-10s %-20s %-10s %s", s == self ? "*" : " ",
                    s.lineNumber(), line, s.user() == null ? "" : Printable.of(s.user()), "idle", CryptoShow.hms(idle),
                    s.location() == null ? "" : s.location()).stripTrailing()).append('\n');
        }
        sb.append("\n  Interface    User               Mode         Idle     Peer Address\n");
        return sb.toString();
    }

    /**
     * {@code show ssh}: each SSH connection's two directions, as IOS lists them; vpnrouter serves SSH version 2
     * only.
     */
    static String ssh(List<ExecSession> sessions) {
        StringBuilder sb = new StringBuilder();
        List<ExecSession> ordered = new ArrayList<>(sessions);
        ordered.sort((a, b) -> Integer.compare(a.lineNumber(), b.lineNumber()));
        boolean any = false;
        for (ExecSession s : ordered) {
            ExecSession.SshConnection c = s.ssh();
            if (c == null) {
                continue;
            }
            if (!any) {
                sb.append("Connection Version Mode Encryption  Hmac         State                 Username\n");
                any = true;
            }
            String user = s.user() == null ? "" : Printable.of(s.user());
            sb.append(String.format(Locale.ROOT, "%-10d %-7s %-4s %-11s %-12s %-21s %s", s.lineIndex(), c.version(),
                    "IN", c.encryptionIn(), c.hmacIn(), "Session started", user).stripTrailing()).append('\n');
            sb.append(String.format(Locale.ROOT, "%-10d %-7s %-4s %-11s %-12s %-21s %s", s.lineIndex(), c.version(),
                    "OUT", c.encryptionOut(), c.hmacOut(), "Session started", user).stripTrailing()).append('\n');
        }
        if (!any) {
            sb.append("%No SSHv2 server connections running.\n");
        }
        sb.append("%No SSHv1 server connections running.\n");
        return sb.toString();
    }

    /** {@code show debugging}: nothing when nothing is on. */
    static String debugging(Set<DebugCategory> on) {
        if (on.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Cryptographic Subsystem:\n");
        if (on.contains(DebugCategory.ISAKMP)) {
            sb.append("  Crypto ISAKMP debugging is on\n");
        }
        if (on.contains(DebugCategory.ENGINE)) {
            sb.append("  Crypto Engine debugging is on\n");
        }
        if (on.contains(DebugCategory.IPSEC)) {
            sb.append("  Crypto IPSEC debugging is on\n");
        }
        return sb.append('\n').toString();
    }

    static String debugName(DebugCategory c) {
        return switch (c) {
            case ISAKMP -> "Crypto ISAKMP";
            case IPSEC -> "Crypto IPSEC";
            case ENGINE -> "Crypto Engine";
        };
    }

    /** {@code show ip interface brief}. */
    static String ipInterfaceBrief(List<InterfaceStatus> interfaces) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-26s %-15s %-3s %-6s %-21s %s%n",
                "Interface", "IP-Address", "OK?", "Method", "Status", "Protocol"));
        for (InterfaceStatus i : interfaces) {
            String address = i.address() == 0 ? "unassigned" : Ipv4.format(i.address());
            String method = i.dhcp() ? "DHCP" : i.address() == 0 ? "unset" : "NVRAM";
            String status = i.up() ? "up" : "administratively down";
            sb.append(String.format(Locale.ROOT, "%-26s %-15s %-3s %-6s %-21s %s", i.name(), address, "YES", method,
                    status, i.up() ? "up" : "down")).append('\n');
        }
        return sb.toString();
    }

    /** {@code show ip interface [NAME]} for one interface. */
    static String ipInterface(InterfaceStatus i) {
        if (i.address() == 0) {
            return i.name() + " is " + (i.up() ? "up" : "administratively down") + ", line protocol is "
                    + (i.up() ? "up" : "down") + "\n  Internet protocol processing disabled\n";
        }
        return CryptoShow.ipInterface(i.name(), i.up(), i.address(), i.mask(), i.dhcp(), i.settings());
    }

    /** One line of the routing table: code (C, S, S*), network, mask, what follows it. */
    private record Route(String code, int network, int mask, String rest) {
    }

    /**
     * {@code show ip route}: connected networks, the configuration's static routes, and, as IOS installs them with
     * {@code reverse-route}, a static route to each remote network of a live SA whose crypto map entry says so.
     * Grouped under their classful networks as IOS 12.x prints them.
     */
    static String ipRoute(List<InterfaceStatus> interfaces, RouterConfig config,
            List<dev.vpnrouter.ike.ChildSa> children) {
        List<Route> routes = new java.util.ArrayList<>();
        for (InterfaceStatus i : interfaces) {
            if (i.up() && i.address() != 0) {
                routes.add(new Route("C", i.address() & i.mask(), i.mask(), "is directly connected, " + i.name()));
            }
        }
        String lastResort = "Gateway of last resort is not set";
        for (dev.vpnrouter.config.model.StaticRoute r : config.routes()) {
            String via = r.nextHop().isPresent() ? "via " + Ipv4.format(r.nextHop().getAsInt())
                    + r.outInterface().map(n -> ", " + n).orElse("")
                    : "is directly connected, " + r.outInterface().orElse("Null0");
            routes.add(new Route(r.mask() == 0 ? "S*" : "S", r.prefix(), r.mask(), (r.nextHop().isPresent()
                    ? "[" + r.distance() + "/0] " : "") + via));
            if (r.mask() == 0 && r.nextHop().isPresent()) {
                lastResort = "Gateway of last resort is " + Ipv4.format(r.nextHop().getAsInt()) + " to network 0.0.0.0";
            }
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (dev.vpnrouter.ike.ChildSa c : children) {
            if (c.policy() != null && c.policy().reverseRoute()
                    && seen.add(((long) c.remote().mask() << 32) | (c.remote().address() & 0xffffffffL))) {
                routes.add(new Route("S", c.remote().address(), c.remote().mask(), "[1/0] via "
                        + Ipv4.format(c.peerAddress())));
            }
        }
        routes.sort(java.util.Comparator.comparingLong((Route r) -> r.network() & 0xffffffffL)
                .thenComparingInt(r -> Integer.bitCount(r.mask())));
        StringBuilder sb = new StringBuilder("""
                Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP
                       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
                       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
                       E1 - OSPF external type 1, E2 - OSPF external type 2
                       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
                       ia - IS-IS inter area, * - candidate default, U - per-user static route
                       o - ODR, P - periodic downloaded static route

                """).append(lastResort).append("\n\n");
        // A route longer than its classful mask goes under that major network's header; others stand alone.
        java.util.Map<Long, List<Route>> groups = new java.util.LinkedHashMap<>();
        for (Route r : routes) {
            int major = classfulMask(r.network());
            long key = Integer.bitCount(r.mask()) > Integer.bitCount(major) ? r.network() & major & 0xffffffffL
                    : 1L << 40 | (long) Integer.bitCount(r.mask()) << 32 | r.network() & 0xffffffffL;
            groups.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(r);
        }
        for (List<Route> group : groups.values()) {
            Route first = group.getFirst();
            int major = classfulMask(first.network());
            if (Integer.bitCount(first.mask()) <= Integer.bitCount(major)) {
                sb.append(String.format(Locale.ROOT, "%-5s%s/%d %s%n", first.code(), Ipv4.format(first.network()),
                        Ipv4.prefixLength(first.mask()), first.rest()));
                continue;
            }
            long masks = group.stream().mapToInt(Route::mask).distinct().count();
            String net = Ipv4.format(first.network() & major);
            sb.append(masks > 1 ? String.format(Locale.ROOT, "     %s/%d is variably subnetted, %d subnets, %d masks%n",
                    net, Ipv4.prefixLength(major), group.size(), masks)
                    : String.format(Locale.ROOT, "     %s/%d is subnetted, %d subnets%n", net,
                    Ipv4.prefixLength(first.mask()), group.size()));
            for (Route r : group) {
                sb.append(String.format(Locale.ROOT, "%-8s%s%s %s%n", r.code(), Ipv4.format(r.network()),
                        masks > 1 ? "/" + Ipv4.prefixLength(r.mask()) : "", r.rest()));
            }
        }
        return sb.toString();
    }

    /** The classful mask of an address (A /8, B /16, C /24, else /32). */
    private static int classfulMask(int address) {
        int top = address >>> 28;
        return top < 8 ? 0xff000000 : top < 12 ? 0xffff0000 : top < 14 ? 0xffffff00 : -1;
    }

    /** {@code show running-config}, with IOS's header and byte count. */
    static String runningConfig(RouterConfig c) {
        String text = ConfigWriter.write(c);
        return "Building configuration...\n\nCurrent configuration : "
                + text.getBytes(StandardCharsets.UTF_8).length + " bytes\n" + text;
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS 'UTC' EEE MMM d yyyy",
            Locale.ROOT);

    /** {@code show clock}. */
    static String clock(long now) {
        ZonedDateTime t = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
        return CLOCK.format(t) + "\n";
    }
}
