package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimNetworkTest {
    private static final int A = Ipv4.parse("203.0.113.1");
    private static final int B = Ipv4.parse("198.51.100.7");

    private static List<String> run(long seed, FaultModel faults) {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, seed, faults);
        List<String> received = new ArrayList<>();
        net.attach(B, p -> received.add(clock.now() + ":" + new String(p.payload())));
        for (int i = 0; i < 200; i++) {
            int n = i;
            clock.at(i * 2L, () -> net.send(SimPacket.udp(A, 500, B, 500, ("m" + n).getBytes())));
        }
        clock.runUntil(10_000);
        return received;
    }

    @Test
    void perfectNetworkDeliversInOrderAfterLatency() {
        List<String> got = run(1, new FaultModel(0, 0, 0, 5));
        assertThat(got).hasSize(200);
        assertThat(got.getFirst()).isEqualTo("5:m0");
        assertThat(got.getLast()).isEqualTo("403:m199");
    }

    @Test
    void faultsAreSeededAndReproducible() {
        FaultModel faults = new FaultModel(0.1, 0.05, 0.05, 5);
        List<String> first = run(42, faults);
        assertThat(run(42, faults)).isEqualTo(first);
        assertThat(run(43, faults)).isNotEqualTo(first);
        assertThat(first.size()).isBetween(160, 200);
    }

    @Test
    void natTranslatesAndRebinds() {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 7, FaultModel.PERFECT);
        int inside = Ipv4.parse("10.0.0.2");
        SimNat nat = new SimNat(net, Ipv4.parse("192.0.2.1"));
        List<SimPacket> atServer = new ArrayList<>();
        List<SimPacket> atClient = new ArrayList<>();
        net.attach(A, p -> {
            atServer.add(p);
            net.send(SimPacket.udp(A, 4500, p.src(), p.srcPort(), "reply".getBytes()));
        });
        nat.attachInside(inside, atClient::add);
        net.send(SimPacket.udp(inside, 4500, A, 4500, "hello".getBytes()));
        clock.runUntil(100);
        assertThat(atServer).singleElement().satisfies(p -> {
            assertThat(p.src()).isEqualTo(Ipv4.parse("192.0.2.1"));
            assertThat(p.srcPort()).isNotEqualTo(4500);
        });
        assertThat(atClient).singleElement().satisfies(p -> {
            assertThat(p.dst()).isEqualTo(inside);
            assertThat(p.dstPort()).isEqualTo(4500);
        });
        int firstPort = atServer.getFirst().srcPort();
        nat.rebind();
        net.send(SimPacket.udp(inside, 4500, A, 4500, "again".getBytes()));
        clock.runUntil(200);
        assertThat(atServer.get(1).srcPort()).isNotEqualTo(firstPort);
    }

    @Test
    void dhcpLeasesRenewsAndRenumbers() {
        SimDhcpServer dhcp = new SimDhcpServer(Ipv4.parse("198.51.100.100"), Ipv4.parse("198.51.100.101"),
                Ipv4.parse("255.255.255.0"), Ipv4.parse("198.51.100.1"), 3_600_000);
        var lease = dhcp.request("spoke", 0);
        assertThat(Ipv4.format(lease.address())).isEqualTo("198.51.100.100");
        assertThat(dhcp.request("spoke", 1000).address()).isEqualTo(lease.address());
        var moved = dhcp.renumber("spoke", 2000);
        assertThat(Ipv4.format(moved.address())).isEqualTo("198.51.100.101");
        assertThat(dhcp.request("other", 2000).address()).isEqualTo(lease.address());
        assertThat(dhcp.request("third", 2000)).isNull();
        assertThat(dhcp.request("third", 3_602_001)).isNotNull();
    }
}
