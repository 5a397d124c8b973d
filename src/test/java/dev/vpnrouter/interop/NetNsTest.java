package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.net.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness cleans up after itself, whatever runs inside, and renumbers a DHCP client on request. */
@Interop
class NetNsTest {
    @Test
    @Timeout(60)
    void closeStopsProgramsAndDeletesTheNamespace() throws Exception {
        NetNs ns = NetNs.create("cleanup");
        Path dir = Topology.workDir("netns-" + ProcessHandle.current().pid());
        Daemon started = ns.start("sleep", dir.resolve("sleep.log"), List.of("sleep", "300"));
        // A process the harness did not track, started by a command inside the namespace.
        ns.run("sh", "-c", "setsid sleep 300 > /dev/null 2>&1 < /dev/null &");
        assertThat(ns.pids()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Files.exists(Path.of("/run/netns", ns.name()))).isTrue();
        assertThat(ns.name()).startsWith(NetNs.PREFIX + ProcessHandle.current().pid() + "-").endsWith("-cleanup");

        ns.close();
        assertThat(started.isAlive()).isFalse();
        assertThat(Files.exists(Path.of("/run/netns", ns.name()))).isFalse();
        assertThatThrownBy(() -> ns.run("true")).hasMessageContaining("closed");
    }

    @Test
    @Timeout(60)
    void namespacesOfDeadRunsAreRemoved() throws Exception {
        // pid_max is at most 2^22, so this owner is never alive.
        String stale = NetNs.PREFIX + "2147483646-1-stale";
        Prerequisites.require("ip");
        Command.run(Duration.ofSeconds(10), "ip", "netns", "add", stale).check();
        try {
            NetNs.removeStaleNamespaces();
            assertThat(Files.exists(Path.of("/run/netns", stale))).isFalse();
        } finally {
            Command.run(Duration.ofSeconds(10), "ip", "netns", "del", stale);
        }
    }

    @Test
    @Timeout(60)
    void dhcpLeasesAndRenumbers() throws Exception {
        Prerequisites.require("dnsmasq", "udhcpc");
        Path dir = Topology.workDir("dhcp-" + ProcessHandle.current().pid());
        try (NetNs server = NetNs.create("dhcp-s"); NetNs client = NetNs.create("dhcp-c")) {
            server.veth("lan", client, "out0");
            server.addAddress("lan", "198.51.100.1/24");
            try (Dhcp dhcp = Dhcp.serve(server, "lan", Ipv4.parse("198.51.100.100"), Ipv4.parse("198.51.100.150"),
                    24, Ipv4.parse("198.51.100.1"), dir)) {
                int first = dhcp.lease(client, "out0", Duration.ofSeconds(20));
                assertThat(first).isBetween(Ipv4.parse("198.51.100.100"), Ipv4.parse("198.51.100.150"));
                assertThat(client.run("ip", "route")).contains("default via 198.51.100.1");
                client.assertPing("198.51.100.1", 1, Duration.ofSeconds(5));

                int wanted = first == Ipv4.parse("198.51.100.140") ? Ipv4.parse("198.51.100.141")
                        : Ipv4.parse("198.51.100.140");
                int second = dhcp.lease(client, "out0", wanted, Duration.ofSeconds(20));
                assertThat(Ipv4.format(second)).isEqualTo(Ipv4.format(wanted));
                assertThat(client.addresses("out0")).containsExactly(wanted);
            }
        }
    }
}
