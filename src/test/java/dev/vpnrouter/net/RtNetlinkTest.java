package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our rtnetlink client against the kernel in a namespace of its own, checked with {@code ip}: routes in table 4500
 * and the rule that consults it go in and out, an add never replaces (File exists), a batch reports exactly the
 * changes the kernel refused, and the socket acts in the namespace it was opened in from any thread (this test's
 * thread is outside it).
 */
@Interop
class RtNetlinkTest {
    private static final int TABLE = 4500;
    private static final int NET = Ipv4.parse("10.9.0.0");

    private NetNs ns;
    private RtNetlink netlink;
    private int d0;
    private int d1;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.require("ip");
        ns = NetNs.create("netlink");
        // Two devices to route into: a veth pair inside the namespace (not every kernel has the dummy driver).
        ns.links().ip("link", "add", "vrnl0", "type", "veth", "peer", "name", "vrnl1");
        ns.links().up("vrnl0");
        ns.links().up("vrnl1");
        netlink = ns.call(RtNetlink::open);
        d0 = netlink.linkIndex("vrnl0");
        d1 = netlink.linkIndex("vrnl1");
    }

    @AfterEach
    void tearDown() {
        if (netlink != null) {
            netlink.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private String ip(String... args) throws Exception {
        return ns.links().ip(args);
    }

    @Test
    @Timeout(60)
    void aRouteGoesInAndOutAndADuplicateAddFailsWithoutReplacing() throws Exception {
        assertThat(ip("-o", "link", "show", "vrnl0")).startsWith(d0 + ": vrnl0");
        String main = ip("route", "show");

        netlink.addRoute(RtNetlink.Route.dev(NET, 16, d0, TABLE));
        assertThat(ip("route", "show", "table", "4500")).isEqualTo("10.9.0.0/16 dev vrnl0 proto static scope link \n");

        // The same prefix into another device: refused, and the route that was there stays as it was.
        assertThatThrownBy(() -> netlink.addRoute(RtNetlink.Route.dev(NET, 16, d1, TABLE)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Libc.EEXIST);
                    assertThat(e.getMessage()).isEqualTo(
                            "route add 10.9.0.0/16 dev vrnl1 table 4500: RTNETLINK answers: File exists");
                });
        assertThat(ip("route", "show", "table", "4500")).isEqualTo("10.9.0.0/16 dev vrnl0 proto static scope link \n");
        assertThat(netlink.routes(TABLE)).singleElement().satisfies(r -> {
            assertThat(r.network()).isEqualTo(NET);
            assertThat(r.prefixLength()).isEqualTo(16);
            assertThat(r.ifindex()).isEqualTo(d0);
            assertThat(r.protocol()).isEqualTo(RtMessages.RTPROT_STATIC);
        });
        // Not in the main table, and nothing outside the namespace: the socket acts where it was opened.
        assertThat(ip("route", "show")).isEqualTo(main);
        assertThat(Command.check(Duration.ofSeconds(10), "ip", "route", "show", "table", "all"))
                .doesNotContain("vrnl0");

        // The kernel's own explanation (extended ACK) comes with its refusal.
        assertThatThrownBy(() -> netlink.addRoute(RtNetlink.Route.dev(Ipv4.parse("10.9.1.0"), 16, d0, TABLE)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Libc.EINVAL);
                    assertThat(e.getMessage()).contains("RTNETLINK answers: Invalid argument: Invalid prefix");
                });

        netlink.deleteRoute(RtNetlink.Route.dev(NET, 16, d0, TABLE));
        assertThat(ip("route", "show", "table", "4500")).isEmpty();
        assertThatThrownBy(() -> netlink.deleteRoute(RtNetlink.Route.dev(NET, 16, d0, TABLE)))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Libc.ESRCH);
                    assertThat(e.getMessage()).endsWith("RTNETLINK answers: No such process");
                });
    }

    @Test
    @Timeout(60)
    void theRuleThatConsultsTheTable() throws Exception {
        netlink.addRule(TABLE, TABLE);
        assertThat(ip("rule", "show", "pref", "4500")).isEqualTo("4500:\tfrom all lookup 4500\n");
        assertThat(netlink.rules()).contains(new RtNetlink.Rule(TABLE, TABLE, RtMessages.FR_ACT_TO_TBL));
        assertThatThrownBy(() -> netlink.addRule(TABLE, TABLE)).isInstanceOfSatisfying(NetlinkException.class,
                e -> assertThat(e.getMessage()).isEqualTo(
                        "rule add pref 4500 lookup 4500: RTNETLINK answers: File exists"));
        netlink.deleteRule(TABLE, 0);
        assertThat(ip("rule", "show", "pref", "4500")).isEmpty();
        assertThat(netlink.rules()).noneMatch(r -> r.priority() == TABLE);
    }

    @Test
    @Timeout(60)
    void aBatchCarriesOutEveryChangeAndReportsOnlyTheRefusedOnes() throws Exception {
        List<RtNetlink.RouteChange> changes = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // more than two sends' worth
            changes.add(RtNetlink.RouteChange.add(RtNetlink.Route.dev(Ipv4.parse("10.100.0.0") + (i << 8), 24, d0,
                    TABLE)));
        }
        RtNetlink.RouteChange duplicate = RtNetlink.RouteChange.add(RtNetlink.Route.dev(Ipv4.parse("10.100.5.0"),
                24, d1, TABLE));
        RtNetlink.RouteChange absent = RtNetlink.RouteChange.delete(RtNetlink.Route.dev(NET, 16, d0, TABLE));
        changes.add(70, duplicate);
        changes.add(absent);

        List<RtNetlink.Failure> failures = netlink.apply(changes);

        assertThat(failures).extracting(RtNetlink.Failure::change).containsExactly(duplicate, absent);
        assertThat(failures.get(0).error().errno()).isEqualTo(Libc.EEXIST);
        assertThat(failures.get(1).error().errno()).isEqualTo(Libc.ESRCH);
        String shown = ip("route", "show", "table", "4500");
        assertThat(shown.lines()).hasSize(150).allMatch(l -> l.contains(" dev vrnl0 "));
        assertThat(shown).contains("10.100.149.0/24 dev vrnl0").contains("10.100.5.0/24 dev vrnl0");

        List<RtNetlink.RouteChange> deletes = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            deletes.add(RtNetlink.RouteChange.delete(RtNetlink.Route.dev(Ipv4.parse("10.100.0.0") + (i << 8), 24, d0,
                    TABLE)));
        }
        assertThat(netlink.apply(deletes)).isEmpty();
        assertThat(ip("route", "show", "table", "4500")).isEmpty();
    }

    /** A freshly booted box has no table 4500 at all (with `ip`, flushing it failed and no route went in). */
    @Test
    @Timeout(60)
    void aTableTheKernelNeverHadCanBeOwnedUsedAndDropped() throws Exception {
        assertThat(ip("route", "show", "table", "all")).doesNotContain("table 4500");
        netlink.ownRoutingTable(TABLE, List.of());
        assertThat(ip("rule", "show", "pref", "4500")).contains("lookup 4500");
        netlink.addRoute(RtNetlink.Route.dev(NET, 16, d0, TABLE));
        assertThat(ip("route", "show", "table", "4500")).contains("10.9.0.0/16 dev vrnl0");
        netlink.dropRoutingTable(TABLE);
        assertThat(ip("rule", "show", "pref", "4500")).isEmpty();
        netlink.dropRoutingTable(TABLE); // twice: nothing left to drop is fine
    }

    @Test
    @Timeout(60)
    void owningTheTableEmptiesItAndLeavesExactlyOneRuleWhileOtherTablesStay() throws Exception {
        // What an earlier run (with `ip`) or a crash may have left, and what is not ours.
        ip("route", "add", "10.7.0.0/16", "dev", "vrnl0", "table", "4500");
        ip("route", "add", "blackhole", "10.8.0.0/16", "table", "4500");
        ip("route", "add", "10.7.0.0/16", "dev", "vrnl1", "table", "4500", "metric", "20");
        ip("rule", "add", "pref", "4500", "lookup", "4500");
        ip("rule", "add", "pref", "4500", "lookup", "4501");
        ip("route", "add", "10.6.0.0/16", "dev", "vrnl0");
        ip("route", "add", "10.6.0.0/16", "dev", "vrnl0", "table", "100");
        String main = ip("route", "show");

        netlink.ownRoutingTable(TABLE, List.of());

        assertThat(ip("route", "show", "table", "4500")).isEmpty();
        assertThat(ip("rule", "show", "pref", "4500")).isEqualTo("4500:\tfrom all lookup 4500\n");
        assertThat(ip("route", "show")).isEqualTo(main);
        assertThat(ip("route", "show", "table", "100")).contains("10.6.0.0/16 dev vrnl0");

        netlink.addRoute(RtNetlink.Route.dev(NET, 16, d0, TABLE));
        netlink.dropRoutingTable(TABLE);
        assertThat(ip("route", "show", "table", "4500")).isEmpty();
        assertThat(ip("rule", "show", "pref", "4500")).isEmpty();
        assertThat(netlink.flushTable(TABLE)).isZero();
    }

    /**
     * The host's own IKE and ESP keep the main table even when a peer's network in table 4500 covers the peer they
     * go to: `ip route get` with the protocol and port shows the way each takes, and the exemptions are dropped
     * with the table.
     */
    @Test
    @Timeout(60)
    void theHostsOwnIkeAndEspKeepTheMainTable() throws Exception {
        ip("addr", "add", "198.51.100.1/24", "dev", "vrnl1");
        List<RtNetlink.LocalTraffic> own = List.of(new RtNetlink.LocalTraffic(17, 500),
                new RtNetlink.LocalTraffic(17, 4500), new RtNetlink.LocalTraffic(50, 0));
        netlink.ownRoutingTable(TABLE, own);
        netlink.ownRoutingTable(TABLE, own); // again, as a restart would: the old rules go, none doubles
        assertThat(ip("rule", "show", "pref", "4499")).isEqualTo("""
                4499:\tfrom all iif lo ipproto udp sport 500 lookup main
                4499:\tfrom all iif lo ipproto udp sport 4500 lookup main
                4499:\tfrom all iif lo ipproto esp lookup main
                """);
        netlink.addRoute(RtNetlink.Route.dev(Ipv4.parse("198.51.100.0"), 24, d0, TABLE)); // a claim over the peer

        assertThat(ip("route", "get", "198.51.100.2")).contains("dev vrnl0");
        assertThat(ip("route", "get", "198.51.100.2", "ipproto", "udp", "sport", "500")).contains("dev vrnl1");
        assertThat(ip("route", "get", "198.51.100.2", "ipproto", "udp", "sport", "4500")).contains("dev vrnl1");
        assertThat(ip("route", "get", "198.51.100.2", "ipproto", "udp", "sport", "501")).contains("dev vrnl0");
        // Forwarded IKE (from an inside host, not iif lo) follows the peer's network like any traffic.
        ns.sysctl("net.ipv4.ip_forward", "1");
        assertThat(ip("route", "get", "198.51.100.2", "from", "10.1.1.5", "iif", "vrnl1", "ipproto", "udp",
                "sport", "500")).contains("dev vrnl0");

        netlink.dropRoutingTable(TABLE);
        assertThat(ip("rule", "show", "pref", "4499")).isEmpty();
        assertThat(ip("rule", "show", "pref", "4500")).isEmpty();
    }
}
