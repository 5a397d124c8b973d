package dev.vpnrouter.config.model;

import java.util.List;
import java.util.Optional;

/**
 * RADIUS as IOS configures it: the servers ({@code radius server NAME} blocks and legacy {@code radius-server host}
 * lines), the global {@code radius-server key}, {@code radius-server timeout} (seconds, IOS default 5),
 * {@code retransmit} (3) and {@code deadtime} (minutes, 0: a server is never marked dead), the
 * {@code aaa group server radius} groups, and {@code ip radius source-interface}.
 */
public record Radius(List<RadiusServer> servers, Optional<String> defaultKey, int timeoutSeconds, int retransmits,
                     int deadtimeMinutes, List<RadiusGroup> groups, Optional<String> sourceInterface) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;
    public static final int DEFAULT_RETRANSMITS = 3;

    public Radius {
        servers = List.copyOf(servers);
        groups = List.copyOf(groups);
    }

    /**
     * {@code aaa group server radius NAME}: its members in order, each a {@code server name X} (a named server)
     * or a {@code server A.B.C.D} (a {@code radius-server host} by address).
     */
    public record RadiusGroup(String name, List<Member> members) {
        public RadiusGroup {
            members = List.copyOf(members);
        }
    }

    /** A group member: by server name, or by host address (name empty). */
    public record Member(Optional<String> serverName, int address) {
        public String text() {
            return serverName.map(n -> "server name " + n)
                    .orElseGet(() -> "server " + dev.vpnrouter.common.Ipv4.format(address));
        }
    }
}
