package dev.vpnrouter.config;

import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.Radius;
import dev.vpnrouter.config.model.RadiusServer;
import dev.vpnrouter.config.model.RouterConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RADIUS server groups a method list may name, resolved as IOS does: {@code group radius} is every server the
 * configuration defines, in order; {@code group NAME} is an {@code aaa group server radius NAME} with its members
 * ({@code server name X}, or {@code server A.B.C.D} for a {@code radius-server host}). A server's key is its own or
 * the global {@code radius-server key}. A server without an address or a key cannot be asked, and is a problem
 * ({@code check} and the load say so); a group left with no server fails every login it decides.
 */
public record RadiusGroups(Map<String, Group> groups, long timeoutMillis, int retransmits, long deadtimeMillis,
                           int sourceAddress, List<Problem> problems) {
    /** What cannot be used, and the configuration element it is about (for the line and column). */
    public record Problem(Object element, String text) {
    }

    /** A server as the client needs it. */
    public record Server(String name, int address, int authPort, int acctPort, String key) {
        @Override
        public String toString() {
            return "Server[" + name + "]"; // never the key
        }
    }

    public record Group(String name, List<Server> servers) {
        public Group {
            servers = List.copyOf(servers);
        }
    }

    /** No servers at all: every {@code group} method finds no server and cannot answer. */
    public static final RadiusGroups NONE = new RadiusGroups(Map.of(), 5_000, 3, 0, 0, List.of());

    public RadiusGroups {
        groups = Map.copyOf(groups);
        problems = List.copyOf(problems);
    }

    public Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    public static RadiusGroups of(RouterConfig config) {
        Radius r = config.radius();
        List<Problem> problems = new ArrayList<>();
        List<Server> all = new ArrayList<>();
        Map<String, Server> byName = new LinkedHashMap<>();
        Map<Integer, Server> byAddress = new LinkedHashMap<>();
        for (RadiusServer s : r.servers()) {
            String name = s.name().orElse(dev.vpnrouter.common.Ipv4.format(s.address()));
            Optional<String> key = s.key().or(r::defaultKey);
            if (s.address() == 0) {
                problems.add(new Problem(s, "RADIUS server " + name + " has no address ipv4: it is never asked"));
                continue;
            }
            if (key.isEmpty() || key.get().isEmpty()) {
                problems.add(new Problem(s, "RADIUS server " + name + " has no key, and there is no radius-server "
                        + "key: it is never asked"));
                continue;
            }
            Server server = new Server(name, s.address(), s.authPort(), s.acctPort(), key.get());
            all.add(server);
            s.name().ifPresentOrElse(n -> byName.put(n, server), () -> byAddress.put(s.address(), server));
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("radius", new Group("radius", all));
        for (Radius.RadiusGroup g : r.groups()) {
            List<Server> members = new ArrayList<>();
            for (Radius.Member m : g.members()) {
                Server s = m.serverName().isPresent() ? byName.get(m.serverName().get()) : byAddress.get(m.address());
                if (s == null) {
                    problems.add(new Problem(g, "aaa group server radius " + g.name() + ": " + m.text()
                            + " names no usable RADIUS server"));
                } else {
                    members.add(s);
                }
            }
            groups.put(g.name(), new Group(g.name(), members));
        }
        int source = r.sourceInterface().flatMap(n -> config.interfaces().stream()
                .filter(i -> i.name().equalsIgnoreCase(n)).findFirst())
                .map(i -> i.address() instanceof InterfaceAddress.Static(int a, int mask) ? a : 0).orElse(0);
        return new RadiusGroups(groups, r.timeoutSeconds() * 1000L, r.retransmits(), r.deadtimeMinutes() * 60_000L,
                source, problems);
    }
}
