package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.sim.FaultModel;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each way a negotiation fails is counted once, under the class an operator would file it in (the metrics'
 * {@code reason} label), on both sides; and negotiations begun and finished are counted per phase.
 */
class NegotiationFailureTest {
    private static final int HUB = MainModeQuickModeTest.HUB;

    /** The non-zero failure counts of an engine. */
    private static Map<NegotiationFailure, Long> failures(IkeEngine engine) {
        Map<NegotiationFailure, Long> out = new EnumMap<>(NegotiationFailure.class);
        long sum = 0;
        for (NegotiationFailure f : NegotiationFailure.values()) {
            long n = engine.counters().failed(f);
            sum += n;
            if (n != 0) {
                out.put(f, n);
            }
        }
        // Every refusal is counted once: the total is the sum of the classes (no double counting).
        assertThat(engine.counters().negotiationsFailed).isEqualTo(sum);
        return out;
    }

    @Test
    void aSuccessfulSiteToSiteNegotiationCountsOnePhaseOneAndOnePhaseTwoOnEachSide() {
        var lab = MainModeQuickModeTest.seedLab(FaultModel.PERFECT, 1);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        for (IkeEngine e : List.of(lab.hub().engine(), lab.spoke().engine())) {
            IkeCounters c = e.counters();
            assertThat(c.phase1Started).isEqualTo(1);
            assertThat(c.phase1Completed).isEqualTo(1);
            assertThat(c.phase2Started).isEqualTo(1);
            assertThat(c.phase2Completed).isEqualTo(1);
            assertThat(failures(e)).isEmpty();
            assertThat(c.lastFailureClass).isNull();
        }
    }

    @Test
    void wrongPreSharedKeyIsAuthenticationOnBothSides() {
        TestPolicy spoke = TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
        spoke.keys.set(0, new Object[] {HUB, -1, "wrong", "default"});
        var lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 3, TestPolicy.seedHub(), spoke);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(failures(lab.hub().engine())).containsExactly(Map.entry(NegotiationFailure.AUTHENTICATION, 1L));
        assertThat(failures(lab.spoke().engine())).containsExactly(Map.entry(NegotiationFailure.AUTHENTICATION, 1L));
        assertThat(lab.spoke().engine().counters().lastFailureClass).isEqualTo(NegotiationFailure.AUTHENTICATION);
        assertThat(lab.hub().engine().counters().phase1Started).isEqualTo(1);
        assertThat(lab.hub().engine().counters().phase1Completed).isZero();
    }

    @Test
    void noCommonProposalIsNoProposalChosenOnBothSides() {
        TestPolicy spoke = TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
        spoke.proposals = List.of(new dev.vpnrouter.ike.cfg.IkeProposal(10,
                dev.vpnrouter.ike.wire.Phase1Attribute.Encryption.AES_CBC, 128,
                dev.vpnrouter.ike.crypto.HashAlgorithm.SHA1,
                dev.vpnrouter.ike.wire.Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 14, 86_400));
        var lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 4, TestPolicy.seedHub(), spoke);
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(failures(lab.hub().engine()))
                .containsExactly(Map.entry(NegotiationFailure.NO_PROPOSAL_CHOSEN, 1L));
        assertThat(failures(lab.spoke().engine()))
                .containsExactly(Map.entry(NegotiationFailure.NO_PROPOSAL_CHOSEN, 1L));
    }

    @Test
    void proxyIdentitiesTheAclRefusesArePolicyInPhaseTwo() {
        TestPolicy hub = MainModeQuickModeTest.hubAllowingOnly10_9();
        var lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 5, hub,
                TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"));
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        // Phase 1 came up; the Quick Mode was begun on both sides and refused (INVALID-ID-INFORMATION).
        assertThat(failures(lab.hub().engine())).containsExactly(Map.entry(NegotiationFailure.POLICY, 1L));
        assertThat(failures(lab.spoke().engine())).containsExactly(Map.entry(NegotiationFailure.POLICY, 1L));
        assertThat(lab.hub().engine().counters().phase1Completed).isEqualTo(1);
        assertThat(lab.hub().engine().counters().phase2Started).isEqualTo(1);
        assertThat(lab.hub().engine().counters().phase2Completed).isZero();
    }

    @Test
    void anIdentityNoProfileTakesIsPolicy() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.profiles.removeIf(p -> ((dev.vpnrouter.ike.cfg.PeerProfile) p[0]).name().equals("L2L"));
        var lab = MainModeQuickModeTest.lab(FaultModel.PERFECT, 6, hub,
                TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"));
        lab.spoke().run(e -> e.connectAll(0));
        lab.clock().runUntil(10_000);
        assertThat(failures(lab.hub().engine())).containsExactly(Map.entry(NegotiationFailure.POLICY, 1L));
    }

    @Test
    void anExhaustedPoolIsPoolExhausted() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.pools.put("ippool", dev.vpnrouter.ike.cfg.AddressPoolConfig.of("ippool", RemoteAccessTest.ADDRESS_1,
                Ipv4.parse("10.5.5.1")));
        var lab = new RemoteAccessTest.Lab(11, FaultModel.PERFECT, hub);
        LabRouter first = lab.client(RemoteAccessTest.CLIENT);
        LabRouter second = lab.client(RemoteAccessTest.CLIENT + 1);
        lab.connect(first, RemoteAccessTest.seedClient("gfullage"));
        lab.runFor(2_000);
        lab.connect(second, RemoteAccessTest.seedClient("gfullage"));
        lab.runFor(2_000);
        assertThat(first.children()).hasSize(1);
        assertThat(second.children()).isEmpty();
        assertThat(failures(lab.hub.engine())).containsExactly(Map.entry(NegotiationFailure.POOL_EXHAUSTED, 1L));
        assertThat(lab.hub.engine().counters().phase1Completed).isEqualTo(2);
    }

    @Test
    void aWrongPasswordIsXauthOnBothSides() {
        var lab = new RemoteAccessTest.Lab(5);
        LabRouter client = lab.client(RemoteAccessTest.CLIENT);
        lab.connect(client, RemoteAccessTest.seedClient("not-the-password"));
        lab.runFor(20_000);
        assertThat(failures(lab.hub.engine())).containsExactly(Map.entry(NegotiationFailure.XAUTH, 1L));
        assertThat(failures(client.engine())).containsExactly(Map.entry(NegotiationFailure.XAUTH, 1L));
    }

    @Test
    void anUnansweredXauthIsATimeoutOnTheHub() {
        var lab = new RemoteAccessTest.Lab(3);
        LabRouter client = lab.client(RemoteAccessTest.CLIENT);
        lab.connect(client, VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null, null));
        lab.runFor(150_000);
        assertThat(failures(lab.hub.engine())).containsExactly(Map.entry(NegotiationFailure.TIMEOUT, 1L));
        // The client had no user to answer with: that is its own Xauth trouble.
        assertThat(failures(client.engine())).containsEntry(NegotiationFailure.XAUTH, 1L);
    }

    @Test
    void aDisabledAggressiveModeIsPolicyOnTheHubAndATimeoutOnTheClient() {
        TestPolicy hub = TestPolicy.seedHub();
        hub.aggressiveModeDisabled = true;
        var lab = new RemoteAccessTest.Lab(9, FaultModel.PERFECT, hub);
        LabRouter client = lab.client(RemoteAccessTest.CLIENT);
        lab.connect(client, RemoteAccessTest.seedClient("gfullage"));
        lab.runFor(120_000);
        Map<NegotiationFailure, Long> hubFailures = failures(lab.hub.engine());
        assertThat(hubFailures).containsOnlyKeys(NegotiationFailure.POLICY);
        // Refused at the first message, before an SA existed: each attempt still counts as a phase 1 begun.
        assertThat(lab.hub.engine().counters().phase1Started).isEqualTo(hubFailures.get(NegotiationFailure.POLICY));
        assertThat(failures(client.engine())).containsExactly(Map.entry(NegotiationFailure.TIMEOUT, 1L));
    }

    @Test
    void quickModeBeforeXauthIsXauth() {
        var lab = new RemoteAccessTest.Lab(4);
        LabRouter client = lab.client(RemoteAccessTest.CLIENT);
        lab.connect(client, VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null, null));
        assertThat(lab.clock.runUntil(() -> client.engine().establishedCount() == 1, 5_000)).isTrue();
        IkeSa sa = client.onlySa();
        var entry = new dev.vpnrouter.ike.cfg.ChildPolicy("client", 1, false, null, 0, List.of(HUB),
                List.of(), null, VpnClientProfile.DEFAULT_ESP, 0, 3600, 0, null, false);
        client.run(e -> QuickModeInitiator.start(e, sa, entry,
                new dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair(TrafficSelector.host(RemoteAccessTest.ADDRESS_1),
                        TrafficSelector.ANY), null, lab.clock.now()));
        lab.runFor(5_000);
        // Each copy of QM1 (the client retransmits) is begun and refused, as each gets its refusal line.
        long refused = lab.hub.engine().counters().failed(NegotiationFailure.XAUTH);
        assertThat(refused).isPositive();
        assertThat(failures(lab.hub.engine())).containsOnlyKeys(NegotiationFailure.XAUTH);
        assertThat(lab.hub.engine().counters().phase2Started).isEqualTo(refused);
        assertThat(lab.hub.engine().counters().lastFailureClass).isEqualTo(NegotiationFailure.XAUTH);
    }

    @Test
    void notifiesMapToTheirClass() {
        assertThat(NegotiationFailure.ofNotify(NotifyType.NO_PROPOSAL_CHOSEN))
                .isEqualTo(NegotiationFailure.NO_PROPOSAL_CHOSEN);
        assertThat(NegotiationFailure.ofNotify(NotifyType.INVALID_HASH_INFORMATION))
                .isEqualTo(NegotiationFailure.AUTHENTICATION);
        assertThat(NegotiationFailure.ofNotify(NotifyType.AUTHENTICATION_FAILED))
                .isEqualTo(NegotiationFailure.AUTHENTICATION);
        assertThat(NegotiationFailure.ofNotify(NotifyType.INVALID_ID_INFORMATION)).isEqualTo(NegotiationFailure.POLICY);
        assertThat(NegotiationFailure.ofNotify(NotifyType.PAYLOAD_MALFORMED)).isEqualTo(NegotiationFailure.MALFORMED);
        assertThat(NegotiationFailure.ofNotify(NotifyType.INVALID_SPI)).isEqualTo(NegotiationFailure.MALFORMED);
        assertThat(NegotiationFailure.ofNotify(NotifyType.INVALID_KEY_INFORMATION))
                .isEqualTo(NegotiationFailure.MALFORMED);
        assertThat(NegotiationFailure.ofNotify(NotifyType.R_U_THERE)).isEqualTo(NegotiationFailure.OTHER);
        assertThat(NegotiationFailure.ofNotify(12345)).isEqualTo(NegotiationFailure.OTHER);
    }

    @Test
    void labelsAreDistinctLowerCasePrometheusLabelValues() {
        assertThat(java.util.Arrays.stream(NegotiationFailure.values()).map(NegotiationFailure::label).distinct())
                .hasSize(NegotiationFailure.values().length)
                .allMatch(l -> l.matches("[a-z_]+"));
    }

    @Test
    void countingARefusalAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        IkeCounters c = new IkeCounters();
        String text = "phase 1: test";
        NegotiationFailure[] all = NegotiationFailure.values();
        for (int i = 0; i < 10_000; i++) { // warm up: let the JIT settle
            c.refused(all[i % all.length], text);
            c.failed(all[i % all.length]);
        }
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            c.refused(all[i % all.length], text);
            c.failed(all[i % all.length]);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // A boxed long or a map entry per call would be megabytes here; allow for the measuring itself.
        assertThat(allocated).isLessThan(10_000);
        assertThat(c.negotiationsFailed).isEqualTo(110_000);
    }
}
