package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimRouter;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's hub and spokes negotiate Main Mode + Quick Mode with each other on the simulated internet. */
class MainModeQuickModeTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int SPOKE2 = Ipv4.parse("198.51.100.147");

    record Lab(SimScheduler clock, SimNetwork net, SimRouter hub, SimRouter spoke, SimRouter spoke2,
            List<String> log) {
    }

    static Lab lab(FaultModel faults, long seed, TestPolicy hubPolicy, TestPolicy spokePolicy) {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, seed, faults);
        List<String> log = new ArrayList<>();
        SimRouter hub = new SimRouter("hub", net, HUB, hubPolicy, seed + 1);
        hub.engine().setDebug(true);
        hub.onDebug(log::add);
        SimRouter spoke = new SimRouter("spoke", net, SPOKE, spokePolicy, seed + 2);
        spoke.engine().setDebug(true);
        spoke.onDebug(line -> log.add("spoke: " + line));
        SimRouter spoke2 = new SimRouter("spoke2", net, SPOKE2,
                TestPolicy.seedSpoke(HUB, "10.3.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), seed + 3);
        return new Lab(clock, net, hub, spoke, spoke2, log);
    }

    static Lab seedLab(FaultModel faults, long seed) {
        return lab(faults, seed, TestPolicy.seedHub(),
                TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"));
    }

    @Test
    void seedHubAndTwoSpokesComeUp() {
        Lab lab = seedLab(FaultModel.PERFECT, 1);
        lab.spoke().run(e -> e.connectAll(0));
        lab.spoke2().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);

        assertThat(lab.hub().engine().counters().internalErrors).isZero();
        assertThat(lab.spoke().children()).hasSize(1);
        assertThat(lab.spoke2().children()).hasSize(1);
        assertThat(lab.hub().children()).hasSize(2);
        ChildSa spokeSide = lab.spoke().children().getFirst();
        ChildSa hubSide = lab.hub().children().stream().filter(c -> c.peerAddress() == SPOKE).findFirst()
                .orElseThrow();
        assertThat(hubSide.local()).isEqualTo(TrafficSelector.subnet(Ipv4.parse("10.1.0.0"),
                Ipv4.parse("255.255.0.0")));
        assertThat(hubSide.remote()).isEqualTo(TrafficSelector.subnet(Ipv4.parse("10.2.0.0"),
                Ipv4.parse("255.255.0.0")));
        // Each side's outbound SPI is the other's inbound, and the keys agree.
        assertThat(spokeSide.outboundSpi()).isEqualTo(hubSide.inboundSpi());
        assertThat(spokeSide.inboundSpi()).isEqualTo(hubSide.outboundSpi());
        assertThat(spokeSide.outboundKeys()).isEqualTo(hubSide.inboundKeys());
        assertThat(spokeSide.inboundKeys()).isEqualTo(hubSide.outboundKeys());
        assertThat(spokeSide.outboundKeys()).hasSize(24 + 20);
        assertThat(hubSide.lifetimeSeconds()).isEqualTo(3600);
        assertThat(lab.log()).contains("ISAKMP (0:1): found peer pre-shared key matching 198.51.100.146",
                "ISAKMP (0:1): peer matches L2L profile",
                "ISAKMP (0:1): Old State = IKE_R_MM1 New State = IKE_R_MM2",
                "ISAKMP (0:1): Old State = IKE_R_MM5 New State = IKE_P1_COMPLETE");
        var sa = lab.hub().engine().ikeSas().iterator().next();
        assertThat(sa.encryption()).isEqualTo("3des");
        assertThat(sa.hash()).isEqualTo("sha");
        assertThat(sa.authentication()).isEqualTo("psk");
        assertThat(sa.dhGroup()).isEqualTo(2);
        assertThat(sa.iosState()).isEqualTo("QM_IDLE");
    }

    @Test
    void lossAndDuplicationStillComplete() {
        for (long seed = 1; seed <= 20; seed++) {
            Lab lab = seedLab(new FaultModel(0.10, 0.10, 0.05, 20), seed);
            lab.spoke().run(e -> e.connectAll(0));
            lab.spoke2().run(e -> e.connectAll(0));
            lab.clock().runUntil(120_000);
            assertThat(lab.spoke().children()).as("seed %d", seed).hasSize(1);
            assertThat(lab.spoke2().children()).as("seed %d", seed).hasSize(1);
            assertThat(lab.hub().children()).as("seed %d", seed).hasSize(2);
            assertThat(lab.hub().engine().counters().internalErrors).isZero();
            assertThat(lab.spoke().engine().counters().internalErrors).isZero();
        }
    }

    @Test
    void wrongPreSharedKeyIsRefusedAndLeavesNoState() {
        TestPolicy spoke = TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
        spoke.keys.set(0, new Object[] {HUB, -1, "wrong", "default"});
        Lab lab = lab(FaultModel.PERFECT, 3, TestPolicy.seedHub(), spoke);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(lab.hub().engine().ikeSaCount()).isZero();
        assertThat(lab.hub().engine().halfOpenCount()).isZero();
        assertThat(lab.spoke().engine().ikeSaCount()).isZero();
        assertThat(lab.hub().engine().counters().lastFailure).contains("pre-shared key mismatch");
        assertThat(lab.spoke().engine().counters().lastFailure).contains("pre-shared key mismatch");
    }

    @Test
    void noCommonProposalIsRefusedWithNoProposalChosen() {
        TestPolicy spoke = TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
        spoke.proposals = List.of(new dev.vpnrouter.ike.cfg.IkeProposal(10,
                dev.vpnrouter.ike.wire.Phase1Attribute.Encryption.AES_CBC, 128,
                dev.vpnrouter.ike.crypto.HashAlgorithm.SHA1,
                dev.vpnrouter.ike.wire.Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 14, 86_400));
        Lab lab = lab(FaultModel.PERFECT, 4, TestPolicy.seedHub(), spoke);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(lab.hub().engine().ikeSaCount()).isZero();
        assertThat(lab.spoke().engine().ikeSaCount()).isZero();
        assertThat(lab.hub().engine().counters().lastFailure)
                .isEqualTo("phase 1: no proposal of peer (aes/sha/group14) matches policy 10 (3des/sha/group2)");
        assertThat(lab.spoke().engine().counters().lastFailure).contains("accepted none of our proposals");
    }

    /** The seed hub with its L2L entry narrowed to 10.1.0.0/16 <-> 10.9.0.0/16 behind spokes (ACL 101). */
    static TestPolicy hubAllowingOnly10_9() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.map.set(1, new dev.vpnrouter.ike.cfg.ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(),
                dev.vpnrouter.ike.cfg.ChildPolicy.permits(List.of(new dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair(
                        TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")),
                        TrafficSelector.subnet(Ipv4.parse("10.9.0.0"), Ipv4.parse("255.255.0.0"))))), "101",
                List.of(TestPolicy.MYSET), 0, 0, 0, "L2L", false));
        return hub;
    }

    @Test
    void mismatchedProxyIdentitiesAreRefused() {
        TestPolicy hub = hubAllowingOnly10_9();
        Lab lab = lab(FaultModel.PERFECT, 5, hub,
                TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"));
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(lab.hub().children()).isEmpty();
        assertThat(lab.spoke().children()).isEmpty();
        assertThat(lab.hub().engine().counters().lastFailure).contains("proxy identities")
                .contains("not permitted by ACL 101");
        assertThat(lab.spoke().engine().counters().lastFailure).contains("INVALID_ID_INFORMATION");
    }

    @Test
    void peerMatchingNoProfileIsRefused() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.profiles.removeIf(p -> ((dev.vpnrouter.ike.cfg.PeerProfile) p[0]).name().equals("L2L"));
        Lab lab = lab(FaultModel.PERFECT, 6, hub,
                TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"));
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(lab.hub().engine().ikeSaCount()).isZero();
        assertThat(lab.hub().engine().counters().lastFailure).contains("matches no ISAKMP profile");
    }

    @Test
    void rekeysForADayWithoutDroppingAnSa() {
        Lab lab = seedLab(new FaultModel(0.02, 0.02, 0.02, 10), 7);
        lab.spoke().run(e -> e.connectAll(0));
        lab.spoke2().run(e -> e.connectAll(0));
        lab.clock().runUntil(60_000);
        long day = 24L * 3600 * 1000;
        for (long t = 60_000; t <= day + 60_000; t += 10_000) {
            lab.clock().runUntil(t);
            assertThat(lab.spoke().children()).as("spoke at %d s", t / 1000).isNotEmpty();
            assertThat(lab.spoke2().children()).as("spoke2 at %d s", t / 1000).isNotEmpty();
            assertThat(lab.hub().children().stream().map(ChildSa::peerAddress).distinct())
                    .as("hub at %d s", t / 1000).hasSize(2);
        }
        assertThat(lab.spoke().engine().counters().phase2Completed).isGreaterThanOrEqualTo(24);
        assertThat(lab.spoke().engine().counters().phase1Completed).isGreaterThanOrEqualTo(2);
        assertThat(lab.hub().engine().counters().internalErrors).isZero();
        assertThat(lab.hub().children().size()).isLessThanOrEqualTo(4);
        assertThat(lab.hub().engine().ikeSaCount()).isLessThanOrEqualTo(4);
    }

    @Test
    void deadPeerDetectionClearsAVanishedSpoke() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.dpd = 10; // crypto isakmp keepalive 10 (retry 2)
        Lab lab = lab(FaultModel.PERFECT, 9, hub, TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"));
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(5_000);
        assertThat(lab.hub().children()).hasSize(1);
        // The spoke answers R-U-THERE while it is there: after a minute the SA still stands.
        lab.clock().runUntil(60_000);
        assertThat(lab.hub().engine().ikeSaCount()).isEqualTo(1);
        assertThat(lab.log()).anyMatch(l -> l.contains("DPD/R_U_THERE sent to 198.51.100.146"));
        // The spoke's line goes dead (its DHCP address changed, its modem rebooted): DPD clears it on the hub.
        lab.net().detach(SPOKE);
        lab.clock().runUntil(60_000 + 10_000 + 6 * 2_000 + 1_000);
        assertThat(lab.hub().engine().ikeSaCount()).isZero();
        assertThat(lab.hub().children()).isEmpty();
        assertThat(lab.log()).anyMatch(l -> l.contains("DPD: peer 198.51.100.146 is dead"));
    }
}
