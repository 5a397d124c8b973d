package dev.vpnrouter.metrics;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.NegotiationFailure;
import dev.vpnrouter.ike.SeedPolicies;
import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SimHost;
import dev.vpnrouter.sim.SimLanRouter;
import dev.vpnrouter.sim.SimNetwork;
import dev.vpnrouter.sim.SimScheduler;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots of the seed's hub in the lab (engine and data plane, virtual time) while a spoke host pings through
 * the tunnel: the numbers are the engine's and the data plane's, and the ESP totals keep what deleted SAs carried.
 */
class SnapshotTakerTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");
    static final int HUB_HOST = Ipv4.parse("10.1.1.10");
    static final int SPOKE_HOST = Ipv4.parse("10.2.2.10");

    private final SimScheduler clock = new SimScheduler(0);
    private final SimNetwork net = new SimNetwork(clock, 1, FaultModel.PERFECT);
    private final SimLanRouter hub = new SimLanRouter("hub", net, HUB, SeedPolicies.hub(), 2, Ipv4.parse("10.1.1.1"),
            Ipv4.parse("255.255.254.0"));
    private final SimLanRouter spoke = new SimLanRouter("spoke", net, SPOKE,
            SeedPolicies.spoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), 3, Ipv4.parse("10.2.2.2"),
            Ipv4.parse("255.255.255.0"));
    private final SimHost hubHost = hub.addHost(HUB_HOST);
    private final SimHost spokeHost = spoke.addHost(SPOKE_HOST);
    private final SnapshotTaker taker = new SnapshotTaker();

    {
        hub.onEffect(effect -> taker.beforeEffect(effect, hub.dataPlane()));
    }

    private RouterSnapshot take() {
        return taker.take(hub.engine(), hub.dataPlane(), clock.now());
    }

    @Test
    void beforeAnyPeerEverythingIsZeroAndThePoolIsFree() {
        RouterSnapshot s = take();
        assertThat(s.ike().sasUp()).isZero();
        assertThat(s.ike().ipsecSasUp()).isZero();
        assertThat(s.ike().phase1Started()).isZero();
        assertThat(s.esp()).isEqualTo(new RouterSnapshot.Esp(0, 0, 0, 0, 0, 0));
        // The test hub's ip local pool ippool has 254 addresses.
        assertThat(s.pools()).containsExactly(new RouterSnapshot.Pool("ippool", 0, 254));
    }

    @Test
    void poolsFollowTheConfigurationAfterAReconfigure() throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("examples/seed/hub.cfg"));
        dev.vpnrouter.ike.IkeEngine engine = new dev.vpnrouter.ike.IkeEngine(new dev.vpnrouter.ike.cfg.ConfigPolicy(
                dev.vpnrouter.config.ConfigLoader.load(text).config()), HUB, new java.security.SecureRandom());
        SnapshotTaker fromConfig = new SnapshotTaker();
        assertThat(fromConfig.take(engine, null, 0).pools()).extracting(RouterSnapshot.Pool::name)
                .containsExactly("ippool");

        engine.reconfigure(new dev.vpnrouter.ike.cfg.ConfigPolicy(dev.vpnrouter.config.ConfigLoader.load(
                text.replace("ip local pool ippool 10.5.5.1 10.5.5.254\n",
                        "ip local pool ippool 10.5.5.1 10.5.5.254\nip local pool extra 10.6.6.1 10.6.6.10\n"))
                .config()));
        assertThat(fromConfig.take(engine, null, 1).pools())
                .containsExactly(new RouterSnapshot.Pool("extra", 0, 10), new RouterSnapshot.Pool("ippool", 0, 254));
    }

    @Test
    void pingsThroughTheTunnelShowAsSasNegotiationsPacketsAndBytes() {
        spokeHost.pingEvery(HUB_HOST, 1_000, 10, 56);
        clock.runUntil(20_000);
        assertThat(spokeHost.echoRepliesReceived()).isEqualTo(10);

        RouterSnapshot s = take();
        assertThat(s.takenAtMillis()).isEqualTo(20_000);
        assertThat(s.ike().sasUp()).isEqualTo(1);
        assertThat(s.ike().sasNegotiating()).isZero();
        assertThat(s.ike().ipsecSasUp()).isEqualTo(1);
        assertThat(s.ike().phase1Started()).isEqualTo(1);
        assertThat(s.ike().phase1Succeeded()).isEqualTo(1);
        assertThat(s.ike().phase2Started()).isEqualTo(1);
        assertThat(s.ike().phase2Succeeded()).isEqualTo(1);
        assertThat(s.ike().failed()).allSatisfy((reason, n) -> assertThat(n).as(reason.label()).isZero());
        assertThat(s.ike().datagramsIn()).isEqualTo(hub.engine().counters().received).isPositive();
        // The first ping waited in the spoke's acquire queue and went through too: 10 requests in, 10 replies out.
        assertThat(s.esp().packetsIn()).isEqualTo(10);
        assertThat(s.esp().packetsOut()).isEqualTo(10);
        assertThat(s.esp().bytesIn()).isEqualTo(10 * (20 + 8 + 56));
        assertThat(s.esp().bytesOut()).isEqualTo(10 * (20 + 8 + 56));
        assertThat(s.esp().droppedIn()).isZero();
    }

    @Test
    void theEspTotalsKeepWhatDeletedSasCarried() {
        spokeHost.pingEvery(HUB_HOST, 1_000, 5, 56);
        clock.runUntil(10_000);
        RouterSnapshot before = take();
        assertThat(before.esp().packetsIn()).isEqualTo(5);

        // clear crypto sa on the hub: the SA pair goes from the data plane, its counters with it.
        hub.run(e -> e.clearIpsec(clock.now()));
        clock.runUntil(11_000);
        assertThat(hub.dataPlane().saCount()).isZero();
        RouterSnapshot cleared = take();
        assertThat(cleared.ike().ipsecSasUp()).isZero();
        assertThat(cleared.esp()).isEqualTo(before.esp());

        // Traffic brings a new pair up; the totals go on from where they were.
        spokeHost.pingEvery(HUB_HOST, 1_000, 3, 56);
        clock.runUntil(20_000);
        RouterSnapshot after = take();
        assertThat(after.ike().ipsecSasUp()).isEqualTo(1);
        assertThat(after.ike().phase2Succeeded()).isEqualTo(2);
        assertThat(after.esp().packetsIn()).isEqualTo(8);
        assertThat(after.esp().packetsOut()).isEqualTo(8);
        assertThat(after.esp().bytesIn()).isEqualTo(8 * (20 + 8 + 56));
    }

    @Test
    void aHubThatNeverAnswersIsATimeoutOnTheSpoke() {
        net.detach(HUB);
        spokeHost.ping(HUB_HOST);
        clock.runUntil(120_000);
        RouterSnapshot s = new SnapshotTaker().take(spoke.engine(), spoke.dataPlane(), clock.now());
        assertThat(s.ike().sasUp()).isZero();
        assertThat(s.ike().phase1Started()).isEqualTo(1);
        assertThat(s.ike().failed(NegotiationFailure.TIMEOUT)).isEqualTo(1);
        assertThat(s.ike().retransmits()).isPositive();
        assertThat(s.ike().phase1Succeeded()).isZero();
        assertThat(s.pools()).isEmpty();
    }

    @Test
    void withoutADataPlaneTheIpsecSasAreTheEngines() {
        spokeHost.ping(HUB_HOST);
        clock.runUntil(5_000);
        RouterSnapshot s = taker.take(hub.engine(), null, clock.now());
        assertThat(s.ike().ipsecSasUp()).isEqualTo(1);
        assertThat(s.esp().packetsIn()).isZero();
    }

    @Test
    void halfOpenSasDroppedByTheCapsAreCounted() {
        dev.vpnrouter.ike.IkeEngine spokeEngine = new dev.vpnrouter.ike.IkeEngine(
                SeedPolicies.spoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE,
                dev.vpnrouter.sim.SimRouter.seededRandom(1));
        spokeEngine.connectAll(0);
        byte[] mm1 = spokeEngine.drain().stream().filter(e -> e instanceof dev.vpnrouter.ike.IkeEffect.Send)
                .map(e -> ((dev.vpnrouter.ike.IkeEffect.Send) e).datagram().data()).findFirst().orElseThrow();
        dev.vpnrouter.ike.IkeEngine hubEngine = new dev.vpnrouter.ike.IkeEngine(SeedPolicies.hub(), HUB,
                dev.vpnrouter.sim.SimRouter.seededRandom(2));
        // 20 first messages from one source, each a new initiator cookie: 16 stay half-open, 4 are dropped.
        for (int i = 0; i < 20; i++) {
            byte[] m = mm1.clone();
            m[0] = (byte) i;
            hubEngine.receive(new dev.vpnrouter.ike.Datagram(SPOKE, 500, HUB, 500, m), 0);
            hubEngine.drain();
        }
        RouterSnapshot s = new SnapshotTaker().take(hubEngine, null, 0);
        assertThat(s.ike().halfOpenDropped()).isEqualTo(4);
        assertThat(s.ike().sasNegotiating()).isEqualTo(dev.vpnrouter.ike.IkeEngine.HALF_OPEN_PER_PEER);
    }

    @Test
    void mainModeCookiesAreCountedByOutcome() {
        dev.vpnrouter.ike.IkeEngine spokeEngine = new dev.vpnrouter.ike.IkeEngine(
                SeedPolicies.spoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), SPOKE,
                dev.vpnrouter.sim.SimRouter.seededRandom(1));
        dev.vpnrouter.ike.IkeEngine hubEngine = new dev.vpnrouter.ike.IkeEngine(SeedPolicies.hub(), HUB,
                dev.vpnrouter.sim.SimRouter.seededRandom(2));
        hubEngine.mainModeCookiesFrom(0); // every MM1 answered statelessly
        spokeEngine.connectAll(0);
        java.util.List<dev.vpnrouter.ike.Datagram> toHub = sends(spokeEngine);
        byte[] mm1 = toHub.getFirst().data();
        hubEngine.receive(toHub.getFirst(), 0);
        java.util.List<dev.vpnrouter.ike.Datagram> mm2 = sends(hubEngine);
        assertThat(mm2).hasSize(1);
        spokeEngine.receive(mm2.getFirst(), 0);
        java.util.List<dev.vpnrouter.ike.Datagram> mm3 = sends(spokeEngine);
        assertThat(mm3).hasSize(1);
        // A forger's MM3: the right initiator cookie, a responder cookie the hub never issued.
        byte[] forged = mm3.getFirst().data().clone();
        forged[8] ^= 0x55;
        hubEngine.receive(new dev.vpnrouter.ike.Datagram(SPOKE, 500, HUB, 500, forged), 0);
        sends(hubEngine);
        hubEngine.receive(mm3.getFirst(), 0); // the real one redeems its cookie
        sends(hubEngine);
        // An MM1 too large to keep is left unanswered.
        byte[] huge = java.util.Arrays.copyOf(mm1, 70_000);
        huge[0] ^= 0x01;
        hubEngine.receive(new dev.vpnrouter.ike.Datagram(SPOKE, 500, HUB, 500, huge), 0);
        sends(hubEngine);

        RouterSnapshot s = new SnapshotTaker().take(hubEngine, null, 0);
        assertThat(s.ike().cookiesSent()).isEqualTo(1);
        assertThat(s.ike().cookiesRejected()).isEqualTo(1);
        assertThat(s.ike().cookiesRedeemed()).isEqualTo(1);
        assertThat(s.ike().cookiesUnanswered()).isEqualTo(1);
        assertThat(s.ike().sasNegotiating()).as("only the redeemed cookie made an SA").isEqualTo(1);
    }

    private static java.util.List<dev.vpnrouter.ike.Datagram> sends(dev.vpnrouter.ike.IkeEngine engine) {
        return engine.drain().stream().filter(e -> e instanceof dev.vpnrouter.ike.IkeEffect.Send)
                .map(e -> ((dev.vpnrouter.ike.IkeEffect.Send) e).datagram()).toList();
    }
}
