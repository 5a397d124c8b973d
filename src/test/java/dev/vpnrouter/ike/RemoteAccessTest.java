package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNat;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's hub with its spoke and VPN clients (Aggressive Mode, Xauth, Mode Config, Quick Mode) in one JVM. */
class RemoteAccessTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int CLIENT = Ipv4.parse("198.51.100.200");
    static final int NAT_PUBLIC = Ipv4.parse("192.0.2.2");
    static final int CLIENT_INSIDE = Ipv4.parse("192.168.1.10");
    static final int ADDRESS_1 = Ipv4.parse("10.5.5.1");

    static final class Lab {
        final SimScheduler clock = new SimScheduler(0);
        final SimNetwork net;
        final LabRouter hub;
        final TestPolicy hubPolicy;
        long seed;

        Lab(long seed, FaultModel faults, TestPolicy hubPolicy) {
            this.seed = seed;
            this.net = new SimNetwork(clock, seed, faults);
            this.hubPolicy = hubPolicy;
            this.hub = new LabRouter("hub", net, HUB, hubPolicy, seed + 1);
        }

        Lab(long seed) {
            this(seed, FaultModel.PERFECT, TestPolicy.seedHub());
        }

        LabRouter spoke() {
            return new LabRouter("spoke", net, SPOKE,
                    TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), seed + 2);
        }

        LabRouter client(int address) {
            return new LabRouter("client-" + Ipv4.format(address), net, address, TestPolicy.client(),
                    seed + 3 + address);
        }

        LabRouter clientBehindNat(SimNat nat, int inside) {
            LabRouter r = new LabRouter("client-" + Ipv4.format(inside), null == nat ? net : net, inside,
                    TestPolicy.client(), seed + 5 + inside);
            nat.attachInside(inside, r);
            return r;
        }

        void connect(LabRouter client, VpnClientProfile profile) {
            client.run(e -> e.connectClient(profile, clock.now()));
        }

        void runFor(long millis) {
            clock.runUntil(clock.now() + millis);
        }
    }

    static VpnClientProfile seedClient(String password) {
        return VpnClientProfile.of(HUB, "testgroup", "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage",
                password);
    }

    @Test
    void hubSpokeAndClientComeUpTogether() {
        Lab lab = new Lab(1);
        LabRouter spoke = lab.spoke();
        LabRouter client = lab.client(CLIENT);
        spoke.run(e -> e.connectAll(0));
        lab.connect(client, seedClient("gfullage"));
        lab.runFor(10_000);

        assertThat(lab.hub.engine().counters().internalErrors).isZero();
        assertThat(client.engine().counters().internalErrors).isZero();
        // The client got the seed's settings.
        assertThat(client.configured).hasSize(1);
        ClientConfig cfg = client.configured.getFirst();
        assertThat(Ipv4.format(cfg.address())).isEqualTo("10.5.5.1");
        assertThat(cfg.dns()).containsExactly(Ipv4.parse("1.1.1.1"), Ipv4.parse("2.2.2.2"));
        assertThat(cfg.wins()).containsExactly(Ipv4.parse("3.3.3.3"), Ipv4.parse("4.4.4.4"));
        assertThat(cfg.domain()).isEqualTo("cisco.com");
        assertThat(cfg.splitNetworks()).isEmpty();

        // Both tunnels are up.
        assertThat(spoke.children()).hasSize(1);
        assertThat(client.children()).hasSize(1);
        ChildSa clientSide = client.children().getFirst();
        assertThat(clientSide.local()).isEqualTo(TrafficSelector.host(ADDRESS_1));
        assertThat(clientSide.remote()).isEqualTo(TrafficSelector.ANY);
        ChildSa hubSide = lab.hub.children().stream().filter(c -> c.peerAddress() == CLIENT).findFirst()
                .orElseThrow();
        assertThat(hubSide.local()).isEqualTo(TrafficSelector.ANY);
        assertThat(hubSide.remote()).isEqualTo(TrafficSelector.host(ADDRESS_1));
        assertThat(hubSide.outboundKeys()).isEqualTo(clientSide.inboundKeys());
        assertThat(hubSide.inboundKeys()).isEqualTo(clientSide.outboundKeys());
        // The client proposed the Cisco client's 2147483 s; the hub clamped it and said so (RESPONDER-LIFETIME).
        assertThat(hubSide.lifetimeSeconds()).isEqualTo(3600);
        assertThat(clientSide.lifetimeSeconds()).isEqualTo(3600);
        assertThat(client.log).anyMatch(l -> l.contains("processing RESPONDER_LIFETIME notify: 3600 s"));

        // The spoke was never asked for Xauth: no Transaction exchange reached it, and the hub never started one.
        assertThat(spoke.receivedOfExchange(ExchangeType.TRANSACTION)).isZero();
        assertThat(spoke.receivedOfExchange(ExchangeType.IDENTITY_PROTECTION)).isPositive();
        assertThat(lab.hub.logCount("Need XAUTH")).isEqualTo(1);
        assertThat(lab.hub.log).noneMatch(l -> l.contains("CONF_XAUTH") && l.contains(Ipv4.format(SPOKE)));
        assertThat(client.receivedOfExchange(ExchangeType.TRANSACTION)).isEqualTo(3); // REQUEST, SET, REPLY

        IkeSaView clientSa = lab.hub.sas().stream().filter(s -> s.peerAddress() == CLIENT).findFirst().orElseThrow();
        assertThat(clientSa.profile()).isEqualTo("VPNclient");
        assertThat(clientSa.peerIdentity()).isEqualTo("testgroup");
        assertThat(clientSa.xauthUser()).isEqualTo("gfullage");
        assertThat(clientSa.assignedAddress()).isEqualTo(ADDRESS_1);
        assertThat(clientSa.capabilities()).contains("C").contains("X");
        assertThat(clientSa.iosState()).isEqualTo("QM_IDLE");
        IkeSaView spokeSa = lab.hub.sas().stream().filter(s -> s.peerAddress() == SPOKE).findFirst().orElseThrow();
        assertThat(spokeSa.profile()).isEqualTo("L2L");
        assertThat(spokeSa.capabilities()).doesNotContain("X");
        assertThat(lab.hub.engine().addressPool("ippool").inUse()).isEqualTo(1);
        assertThat(lab.hub.engine().addressPool("ippool").isAllocated(ADDRESS_1)).isTrue();
        assertThat(lab.hub.log).contains("ISAKMP: Sending private address: 10.5.5.1",
                "ISAKMP: Sending IP4_DNS server address: 1.1.1.1", "ISAKMP: Sending IP4_NBNS server address: 4.4.4.4",
                "ISAKMP: Sending DEFAULT_DOMAIN default domain name: cisco.com");
    }
}
