package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.MainModeQuickModeTest.Lab;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.sim.FaultModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vpnrouter.ike.MainModeQuickModeTest.HUB;
import static dev.vpnrouter.ike.MainModeQuickModeTest.SPOKE;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 14: a lifetime the peer names below IOS's least (0 included) is not "expire now"; ours applies. */
class PeerLifetimesTest {
    static final String SPOKE_ACL = "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0";

    static IkeProposal withLifetime(IkeProposal p, long seconds) {
        return new IkeProposal(p.priority(), p.encryption(), p.keyBits(), p.hash(), p.authMethod(), p.dhGroup(),
                seconds);
    }

    static ChildPolicy withLifetimes(ChildPolicy e, long seconds, long kilobytes,
            List<ChildPolicy.SelectorPair> selectors) {
        return new ChildPolicy(e.mapName(), e.sequence(), e.dynamic(), e.dynamicMapName(), e.dynamicSequence(),
                e.peers(), ChildPolicy.permits(selectors), e.aclName(), e.proposals(), e.pfsGroup(), seconds, kilobytes, e.profile(),
                e.reverseRoute());
    }

    static long count(List<String> log, String fragment) {
        return log.stream().filter(l -> l.contains(fragment)).count();
    }

    @Test
    void aPhase1LifetimeOfZeroKeepsOurPolicysLifetimeOnBothSides() {
        TestPolicy spokePolicy = TestPolicy.seedSpoke(HUB, SPOKE_ACL);
        Lab lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 1, TestPolicy.seedHub(), spokePolicy);
        // As strongSwan's load tester with ike_rekey=0: its offer says Life-Duration 0, yet it keeps its SA (here:
        // the spoke's policy is 86400 s again once MM1 has left). The hub echoes the 0 back in MM2.
        spokePolicy.proposals = List.of(withLifetime(TestPolicy.POLICY_10, 0));
        lab.spoke().run(e -> e.connectAll(0));
        spokePolicy.proposals = List.of(TestPolicy.POLICY_10);
        lab.clock().runUntil(10_000);

        for (var router : List.of(lab.hub(), lab.spoke())) {
            assertThat(router.engine().ikeSas()).as(router.name()).hasSize(1);
            assertThat(router.engine().ikeSas().iterator().next().remainingSeconds(10_000)).as(router.name())
                    .isBetween(86_380L, 86_400L);
        }
        assertThat(lab.hub().children()).hasSize(1);
        assertThat(count(lab.log(), "%CRYPTO-5-IKMP_LIFETIME_IGNORED: peer " + Ipv4.format(SPOKE)
                + ": its phase 1 lifetime of 0 seconds is below the least IOS accepts (60), using ours, 86400 seconds"))
                .isEqualTo(1);

        lab.clock().runUntil(3_000_000); // well past 350 ms, before any renewal: nothing was deleted
        assertThat(lab.hub().engine().counters().phase1Completed).isEqualTo(1);
        assertThat(lab.hub().engine().ikeSas()).hasSize(1);
    }

    @Test
    void ipsecLifetimesBelowTheLeastAreOursAndSaidOncePerPeer() {
        TestPolicy spokePolicy = TestPolicy.seedSpoke(HUB, SPOKE_ACL);
        ChildPolicy entry = spokePolicy.map.getFirst();
        ChildPolicy.SelectorPair second = new ChildPolicy.SelectorPair(
                TrafficSelector.subnet(Ipv4.parse("10.20.0.0"), Ipv4.parse("255.255.0.0")),
                TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")));
        spokePolicy.map.set(0, withLifetimes(entry, 30, 100, List.of(entry.selectors().getFirst(), second)));
        Lab lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 1, TestPolicy.seedHub(), spokePolicy);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);

        assertThat(lab.hub().children()).hasSize(2);
        for (ChildSa hubSide : lab.hub().children()) {
            assertThat(hubSide.lifetimeSeconds()).isEqualTo(Phase2.DEFAULT_LIFETIME_SECONDS);
            assertThat(hubSide.lifetimeKilobytes()).isEqualTo(Phase2.DEFAULT_LIFETIME_KILOBYTES);
        }
        assertThat(count(lab.log(), "%CRYPTO-5-IKMP_LIFETIME_IGNORED: peer " + Ipv4.format(SPOKE)
                + ": its IPsec lifetime of 30 seconds")).isEqualTo(1);
        assertThat(count(lab.log(), "%CRYPTO-5-IKMP_LIFETIME_IGNORED: peer " + Ipv4.format(SPOKE)
                + ": its IPsec volume lifetime of 100 kilobytes")).isEqualTo(1);
        assertThat(count(lab.log(), "peer's IPsec lifetime of 30 seconds ignored, using ours, 3600 seconds"))
                .isEqualTo(1);
    }

    @Test
    void aResponderLifetimeNotifyBelowTheLeastIsIgnored() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        // A hub whose own lifetimes are below IOS's least (no IOS config allows it) answers with RESPONDER-LIFETIME.
        hubPolicy.map.replaceAll(e -> withLifetimes(e, 30, 100, e.selectors()));
        Lab lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 1, hubPolicy,
                TestPolicy.seedSpoke(HUB, SPOKE_ACL));
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);

        assertThat(lab.log()).anyMatch(l -> l.startsWith("spoke: ") && l.contains("processing RESPONDER_LIFETIME"));
        ChildSa spokeSide = lab.spoke().children().getFirst();
        assertThat(spokeSide.lifetimeSeconds()).isEqualTo(Phase2.DEFAULT_LIFETIME_SECONDS);
        assertThat(spokeSide.lifetimeKilobytes()).isEqualTo(Phase2.DEFAULT_LIFETIME_KILOBYTES);
    }
}
