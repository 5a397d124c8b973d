package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;
import dev.vpnrouter.dataplane.DataPlaneEvent;
import dev.vpnrouter.dataplane.EspTransforms;
import dev.vpnrouter.dataplane.FlowStatus;
import dev.vpnrouter.dataplane.SaCounters;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspSealResult;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.SeedPolicies;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's hub and spoke in the lab with a host behind each: the first ping from the spoke's LAN brings the
 * tunnel up, then real ESP (3DES/SHA1, as in the seed) carries traffic both ways.
 */
class LanTunnelTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");
    static final int SPOKE_HOST = Ipv4.parse("10.2.2.10");
    static final String ACL_100 = "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0";
    static final TrafficSelector NET1 = TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"));
    static final TrafficSelector NET2 = TrafficSelector.subnet(Ipv4.parse("10.2.0.0"), Ipv4.parse("255.255.0.0"));

    record Lab(SimScheduler clock, SimNetwork net, SimLanRouter hub, SimLanRouter spoke, SimHost hubHost,
            SimHost spokeHost, List<SimPacket> spokeEsp, List<SimPacket> hubEsp) {

        ChildSa spokeChild() {
            return spoke.children().getLast();
        }

        ChildSa hubChild() {
            return hub.children().getLast();
        }

        SaCounters hubCounters() {
            return hub.dataPlane().flow(NET1, NET2).counters();
        }

        SaCounters spokeCounters() {
            return spoke.dataPlane().flow(NET2, NET1).counters();
        }
    }

    static Lab lab(long seed, EnginePolicy spokePolicy) {
        return lab(seed, spokePolicy, FaultModel.PERFECT);
    }

    static Lab lab(long seed, EnginePolicy spokePolicy, FaultModel faults) {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, seed, faults);
        SimLanRouter hub = new SimLanRouter("hub", net, HUB, SeedPolicies.hub(), seed + 1, Ipv4.parse("10.1.1.1"),
                Ipv4.parse("255.255.254.0"));
        SimLanRouter spoke = new SimLanRouter("spoke", net, SPOKE, spokePolicy, seed + 2, Ipv4.parse("10.2.2.2"),
                Ipv4.parse("255.255.255.0"));
        List<SimPacket> spokeEsp = new ArrayList<>();
        List<SimPacket> hubEsp = new ArrayList<>();
        spoke.tapEsp(spokeEsp::add);
        hub.tapEsp(hubEsp::add);
        return new Lab(clock, net, hub, spoke, hub.addHost(HUB_HOST), spoke.addHost(SPOKE_HOST), spokeEsp, hubEsp);
    }

    static Lab seedLab(long seed) {
        return lab(seed, SeedPolicies.spoke(HUB, ACL_100));
    }

    /** Brings the tunnel up with one ping from the spoke's LAN and checks it was answered. */
    static void firstPing(Lab lab) {
        lab.spokeHost().ping(HUB_HOST);
        lab.clock().runUntil(5_000);
        assertThat(lab.spokeHost().echoRepliesReceived()).as("the triggering ping is answered").isEqualTo(1);
    }

    @Test
    void firstPingAcquiresThenPingsPassBothWaysThroughEsp() {
        Lab lab = seedLab(1);
        assertThat(lab.spoke().children()).isEmpty();
        lab.spokeHost().ping(HUB_HOST);
        lab.clock().runUntil(5_000);
        assertThat(lab.spoke().dataPlane().counters().acquires()).isEqualTo(1);
        assertThat(lab.spoke().dataPlane().counters().queued()).isEqualTo(1);
        assertThat(lab.spoke().children()).hasSize(1);
        assertThat(lab.hub().children()).hasSize(1);
        assertThat(lab.spokeHost().echoRepliesReceived()).isEqualTo(1);
        assertThat(lab.spokeHost().rtts().getFirst()).as("waited for IKE").isGreaterThan(2);

        lab.spokeHost().pingEvery(HUB_HOST, 1_000, 9, 56);
        lab.hubHost().pingEvery(SPOKE_HOST, 1_000, 5, 56);
        lab.clock().runUntil(20_000);

        assertThat(lab.spokeHost().echoRepliesReceived()).isEqualTo(10);
        assertThat(lab.hubHost().echoRepliesReceived()).isEqualTo(5);
        assertThat(lab.hubHost().echoRequestsAnswered()).isEqualTo(10);
        assertThat(lab.spokeHost().echoRequestsAnswered()).isEqualTo(5);
        assertThat(lab.spokeHost().rtts().subList(1, 10)).containsOnly(2L); // one virtual ms each way
        // Every packet crossed as ESP, counted once on each side: 10 requests + 5 replies from the spoke, and back.
        SaCounters spoke = lab.spoke().dataPlane().sa(lab.spokeChild().id()).counters();
        SaCounters hub = lab.hub().dataPlane().sa(lab.hubChild().id()).counters();
        assertThat(spoke).isEqualTo(new SaCounters(15, 15, 15, 15, 15, 15, 0, 0, 0, 0, 0, 15 * 84, 15 * 84));
        assertThat(hub).isEqualTo(spoke);
        assertThat(lab.spokeEsp()).hasSize(15).allSatisfy(p -> {
            assertThat(p.protocol()).isEqualTo(SimPacket.ESP);
            assertThat(p.dst()).isEqualTo(HUB);
            assertThat(Ipv4.fromBytes(p.payload(), 0)).isEqualTo(lab.spokeChild().outboundSpi());
            assertThat(p.payload().length).isEqualTo(8 + 8 + 88 + 12); // 3DES IV, padded 84-byte ping, SHA1-96
        });
        assertThat(lab.hubEsp()).hasSize(15);
        assertThat(lab.spokeChild().transform().iosTransform()).isEqualTo("esp-3des esp-sha-hmac");
        assertThat(EspTransforms.of(lab.spokeChild().transform()).toString()).isEqualTo("esp-3des esp-sha-hmac");
        // Reverse-route material on the hub: the spoke's LAN.
        assertThat(lab.hub().dataPlane().protectedRoutes()).singleElement()
                .satisfies(r -> assertThat(r.network()).isEqualTo(NET2));

        // Traffic outside ACL 100 is not encrypted; the lab has no clear path for it.
        lab.spokeHost().ping(Ipv4.parse("192.0.2.99"));
        lab.clock().runUntil(21_000);
        assertThat(lab.spoke().bypassDropped()).isEqualTo(1);
        assertThat(lab.spokeEsp()).hasSize(15);
    }

    @Test
    void tamperedAndReplayedEspAreDroppedAndCounted() {
        Lab lab = seedLab(2);
        firstPing(lab);
        SimPacket captured = lab.spokeEsp().getLast();
        byte[] tampered = captured.payload().clone();
        tampered[40] ^= 0x10;
        tampered[6] = 0x03; // a sequence number never seen, or the replay check would catch it before the ICV
        tampered[7] = (byte) 0xe8;
        lab.net().send(SimPacket.esp(SPOKE, HUB, tampered));
        lab.net().send(captured); // replayed as it was
        lab.net().send(captured);
        lab.clock().runUntil(6_000);
        SaCounters hub = lab.hub().dataPlane().sa(lab.hubChild().id()).counters();
        assertThat(hub.verifyFailures()).isEqualTo(1);
        assertThat(hub.replayFailures()).isEqualTo(2);
        assertThat(hub.recvErrors()).isEqualTo(3);
        assertThat(hub.pktsDecaps()).isEqualTo(1);
        assertThat(lab.hubHost().echoRequestsAnswered()).as("nothing extra reached the host").isEqualTo(1);
        assertThat(lab.hub().inboundDropped()).isEqualTo(3);
        // ESP for an SPI nobody has.
        byte[] unknown = captured.payload().clone();
        unknown[0] ^= 0x7f;
        lab.net().send(SimPacket.esp(SPOKE, HUB, unknown));
        lab.clock().runUntil(7_000);
        assertThat(lab.hub().dataPlane().counters().unknownSpi()).isEqualTo(1);
    }

    @Test
    void innerPacketOutsideTheProxyIdentitiesIsDroppedAndCounted() {
        Lab lab = seedLab(3);
        firstPing(lab);
        ChildSa spokeSide = lab.spokeChild();
        // The spoke's own keys, used to send what ACL 100 does not cover (as a compromised spoke might).
        EspOutboundSa rogue = EspOutboundSa.builder(spokeSide.outboundSpi(),
                EspTransforms.of(spokeSide.transform()), spokeSide.outboundKeys()).initialSequence(1_000).build();
        byte[] spoofed = Ipv4Packet.icmpEcho(Ipv4.parse("10.9.9.9"), HUB_HOST, true, 1, 1, new byte[8]);
        lab.net().send(SimPacket.esp(SPOKE, HUB, ((EspSealResult.Sealed) rogue.seal(spoofed)).packet()));
        lab.clock().runUntil(6_000);
        SaCounters hub = lab.hub().dataPlane().sa(lab.hubChild().id()).counters();
        assertThat(hub.invalidIdentity()).isEqualTo(1);
        assertThat(hub.recvErrors()).isEqualTo(1);
        assertThat(hub.pktsDecaps()).isEqualTo(1);
        assertThat(lab.hubHost().received()).noneMatch(p -> Ipv4Packet.source(p, 0) == Ipv4.parse("10.9.9.9"));
    }

    @Test
    void rekeyDuringContinuousPingsLosesNoPacket() {
        // Lifetime 120 s: the spoke rekeys at about 105 s, again at about 210 s and 315 s. 20 ms one way, so
        // packets are in flight on the old SA when the new one takes over.
        Lab lab = lab(4, SeedPolicies.spoke(HUB, ACL_100, 120, 0), new FaultModel(0, 0, 0, 20));
        // Each side must seal with its newest SA from the moment it is installed (no gap, no stale SPI).
        int[] stale = new int[2];
        lab.spoke().tapEsp(p -> {
            lab.spokeEsp().add(p);
            stale[0] += Ipv4.fromBytes(p.payload(), 0) == lab.spoke().children().getLast().outboundSpi() ? 0 : 1;
        });
        lab.hub().tapEsp(p -> {
            lab.hubEsp().add(p);
            stale[1] += Ipv4.fromBytes(p.payload(), 0) == lab.hub().children().getLast().outboundSpi() ? 0 : 1;
        });
        lab.spokeHost().pingEvery(HUB_HOST, 500, 800, 56);
        lab.clock().runUntil(1_000);
        lab.hubHost().pingEvery(SPOKE_HOST, 700, 500, 56);
        lab.clock().runUntil(405_000);

        assertThat(stale).containsExactly(0, 0);
        assertThat(lab.spokeHost().echoRequestsSent()).isEqualTo(800);
        assertThat(lab.spokeHost().unansweredSequences()).isEmpty();
        assertThat(lab.spokeHost().echoRepliesReceived()).isEqualTo(800);
        assertThat(lab.hubHost().unansweredSequences()).isEmpty();
        assertThat(lab.hubHost().echoRepliesReceived()).isEqualTo(500);
        assertThat(lab.spoke().engine().counters().phase2Completed).isGreaterThanOrEqualTo(4);
        Set<Integer> spis = lab.spokeEsp().stream().map(p -> Ipv4.fromBytes(p.payload(), 0))
                .collect(Collectors.toSet());
        assertThat(spis).as("outbound moved through several SAs").hasSizeGreaterThanOrEqualTo(4);
        // The flow's counters run on across the rekeys: every packet, once.
        assertThat(lab.spokeCounters().pktsEncaps()).isEqualTo(1300);
        assertThat(lab.spokeCounters().pktsDecaps()).isEqualTo(1300);
        assertThat(lab.hubCounters().pktsEncaps()).isEqualTo(1300);
        assertThat(lab.hubCounters().pktsDecaps()).isEqualTo(1300);
        assertThat(lab.hubCounters().recvErrors()).isZero();
        assertThat(lab.spokeCounters().recvErrors()).isZero();
        assertThat(lab.spoke().dataPlane().counters().unknownSpi() + lab.hub().dataPlane().counters().unknownSpi())
                .isZero();
        // Old SAs were deleted: at most the current one and one in its grace period remain.
        assertThat(lab.hub().dataPlane().saCount()).isBetween(1, 2);
    }

    @Test
    void natBetweenSpokeAndHubMakesItEspInUdpAndFollowsARebind() {
        int privateAddress = Ipv4.parse("192.168.1.2");
        int natPublic = Ipv4.parse("198.51.100.200");
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 5, FaultModel.PERFECT);
        SimNat nat = new SimNat(net, natPublic);
        SimLanRouter hub = new SimLanRouter("hub", net, HUB, SeedPolicies.hub(), 6, Ipv4.parse("10.1.1.1"),
                Ipv4.parse("255.255.254.0"));
        SimLanRouter spoke = new SimLanRouter("spoke", net, privateAddress, SeedPolicies.spoke(HUB, ACL_100), 7,
                Ipv4.parse("10.2.2.2"), Ipv4.parse("255.255.255.0"));
        nat.attachInside(privateAddress, spoke);
        List<SimPacket> spokeEsp = new ArrayList<>();
        List<SimPacket> hubEsp = new ArrayList<>();
        spoke.tapEsp(spokeEsp::add);
        hub.tapEsp(hubEsp::add);
        SimHost hubHost = hub.addHost(HUB_HOST);
        SimHost spokeHost = spoke.addHost(SPOKE_HOST);

        spokeHost.pingEvery(HUB_HOST, 1_000, 5, 56);
        clock.runUntil(10_000);
        hubHost.pingEvery(SPOKE_HOST, 1_000, 5, 56);
        clock.runUntil(20_000);
        assertThat(spokeHost.echoRepliesReceived()).isEqualTo(5);
        assertThat(hubHost.echoRepliesReceived()).isEqualTo(5);
        ChildSa hubSide = hub.children().getFirst();
        assertThat(hubSide.peerAddress()).isEqualTo(natPublic);
        assertThat(hubSide.udpEncapsulated()).isTrue();
        assertThat(spokeEsp).hasSize(10).allSatisfy(p -> {
            assertThat(p.protocol()).isEqualTo(SimPacket.UDP);
            assertThat(p.srcPort()).isEqualTo(4500);
            assertThat(p.dstPort()).isEqualTo(4500);
            assertThat(Ipv4.fromBytes(p.payload(), 0)).as("ESP, no non-ESP marker").isNotZero();
        });
        assertThat(hubEsp).hasSize(10).allSatisfy(p -> {
            assertThat(p.protocol()).isEqualTo(SimPacket.UDP);
            assertThat(p.dst()).isEqualTo(natPublic);
            assertThat(p.dstPort()).isEqualTo(hubSide.peerPort());
        });

        // The NAT forgets its mappings: the spoke's next ESP leaves from a new port and the hub follows it.
        nat.rebind();
        spokeHost.pingEvery(HUB_HOST, 1_000, 3, 56);
        clock.runUntil(25_000);
        hubHost.pingEvery(SPOKE_HOST, 1_000, 3, 56);
        clock.runUntil(30_000);
        assertThat(spokeHost.echoRepliesReceived()).isEqualTo(8);
        assertThat(hubHost.echoRepliesReceived()).isEqualTo(8);
        assertThat(hub.dataPlane().counters().peerMoved()).isEqualTo(1);
        assertThat(hubEsp.getLast().dstPort()).isNotEqualTo(hubSide.peerPort());
    }

    @Test
    void kilobyteLifetimeRenewsTheSaBeforeItRunsOut() {
        // IOS's least volume lifetime (a peer's below it is ignored): 2560 KB, soft at 2304 KB = 2359296 bytes.
        Lab lab = lab(8, SeedPolicies.spoke(HUB, ACL_100, 0, 2560));
        lab.spokeHost().pingEvery(HUB_HOST, 10, 2295, 1000); // 1028-byte packets: 2295 * 1028 = 2359260 bytes
        lab.clock().runUntil(30_000);
        ChildSa first = lab.spokeChild();
        ChildSa firstAtHub = lab.hubChild();
        assertThat(first.lifetimeKilobytes()).isEqualTo(2560);
        assertThat(firstAtHub.lifetimeKilobytes()).as("negotiated down to the spoke's").isEqualTo(2560);
        assertThat(lab.spoke().dataPlaneEvents()).noneMatch(e -> e instanceof DataPlaneEvent.RekeyNeeded);
        lab.spokeHost().ping(HUB_HOST, 1000, false); // 2296 * 1028 = 2360288 bytes > 2359296
        lab.clock().runUntil(31_000);
        assertThat(lab.spoke().dataPlaneEvents()).contains(new DataPlaneEvent.RekeyNeeded(first,
                DataPlaneEvent.Direction.OUTBOUND, DataPlaneEvent.Limit.KILOBYTES));
        assertThat(lab.hub().dataPlaneEvents()).contains(new DataPlaneEvent.RekeyNeeded(firstAtHub,
                DataPlaneEvent.Direction.INBOUND, DataPlaneEvent.Limit.KILOBYTES));
        assertThat(lab.spokeHost().echoRepliesReceived()).isEqualTo(2296);
        // The soft limit made the engine renew the SA: traffic moves to the new one and never hits the hard limit.
        assertThat(lab.spokeChild().outboundSpi()).isNotEqualTo(first.outboundSpi());
        lab.spokeHost().pingEvery(HUB_HOST, 1_000, 4, 1000);
        lab.clock().runUntil(40_000);
        assertThat(lab.spoke().dataPlaneEvents()).noneMatch(e -> e instanceof DataPlaneEvent.Expired);
        assertThat(lab.spokeHost().echoRepliesReceived()).isEqualTo(2300);
    }

    @Test
    void bigPingsAreFragmentedBeforeEncryptionOrAnsweredWithFragmentationNeeded() {
        Lab lab = seedLab(9);
        firstPing(lab);
        lab.spokeHost().ping(HUB_HOST, 1472, true); // a 1500-byte packet with DF
        lab.clock().runUntil(6_000);
        assertThat(lab.spokeHost().unreachables()).containsExactly(new SimHost.Unreachable(Ipv4.parse("10.2.2.2"),
                4, 1446));
        lab.spokeHost().ping(HUB_HOST, 1472, false);
        lab.spokeHost().ping(HUB_HOST, 3000, false);
        lab.clock().runUntil(7_000);
        assertThat(lab.spokeHost().echoRepliesReceived()).isEqualTo(3);
        assertThat(lab.hubHost().reassembled()).isEqualTo(2);
        assertThat(lab.spokeHost().reassembled()).isEqualTo(2);
        assertThat(lab.spokeEsp().subList(1, lab.spokeEsp().size()))
                .allSatisfy(p -> assertThat(20 + p.payload().length).isLessThanOrEqualTo(1500));
        FlowStatus spoke = lab.spoke().dataPlane().flow(NET2, NET1);
        assertThat(spoke.counters().pktsEncaps()).isEqualTo(1 + 2 + 3); // the first ping, then 2 and 3 fragments
        byte[] last = lab.hubHost().received().getLast();
        assertThat(Ipv4Packet.totalLength(last, 0)).isEqualTo(3028);
        assertThat(Arrays.copyOfRange(last, 28, 32)).isEqualTo(new byte[] {4, 5, 6, 7}); // ping 4's data: seq + i
    }
}
