package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** vpnrouter's own routing table in a namespace of its own, as the data plane sets it up on a freshly booted box. */
@Interop
class LinkConfigTest {
    private static final int TABLE = 4500;

    @Test
    @Timeout(30)
    void aRoutingTableTheKernelNeverHadCanBeOwnedAndDropped() throws Exception {
        Prerequisites.require("ip");
        try (NetNs ns = NetNs.create("links")) {
            LinkConfig links = ns.links();
            // A fresh namespace has no table 4500: flushing it fails in the kernel, which must not stop us.
            links.ownRoutingTable(TABLE);
            assertThat(links.ip("rule", "show", "pref", "4500")).contains("lookup 4500");

            links.addRouteToTable(Ipv4.parse("10.2.0.0"), 16, "lo", TABLE);
            assertThat(links.ip("route", "show", "table", "4500")).contains("10.2.0.0/16 dev lo");

            // An earlier run's table and rule are taken over, not doubled.
            links.ownRoutingTable(TABLE);
            assertThat(links.ip("rule", "show", "pref", "4500").lines()).hasSize(1);
            assertThat(links.ip("route", "show", "table", "4500")).isBlank();

            links.dropRoutingTable(TABLE);
            assertThat(links.ip("rule", "show", "pref", "4500")).isBlank();
        }
    }

    @Test
    @Timeout(30)
    void droppingATableThatNeverHadARouteSucceeds() throws Exception {
        Prerequisites.require("ip");
        try (NetNs ns = NetNs.create("links")) {
            LinkConfig links = ns.links();
            links.ownRoutingTable(TABLE);
            links.dropRoutingTable(TABLE);
            assertThat(links.ip("rule")).doesNotContain("lookup 4500");
        }
    }
}
