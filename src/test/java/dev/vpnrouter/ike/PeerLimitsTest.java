package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.PeerLimits;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: an authenticated peer cannot exhaust the hub. Each limit per peer refuses the one too many with a line
 * naming the limit, counted under the {@code peer_limit} reason, while what the peer already holds stays up.
 */
class PeerLimitsTest {
    /** A spoke of the seed with two ACL lines: two pairs, two Quick Modes started together. */
    private static TestPolicy spokeWithTwoLines() {
        TestPolicy p = TestPolicy.seedSpoke(ExchangeReplay.HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
        ChildPolicy e = p.map.getFirst();
        TrafficSelector second = TrafficSelector.subnet(Ipv4.parse("10.3.0.0"), Ipv4.parse("255.255.0.0"));
        p.map.set(0, new ChildPolicy(e.mapName(), e.sequence(), false, null, 0, e.peers(), ChildPolicy.permits(
                List.of(e.selectors().getFirst(), new ChildPolicy.SelectorPair(second, e.selectors().getFirst()
                        .remote()))), e.aclName(), e.proposals(), 0, 0, 0, null, false));
        return p;
    }

    private static ExchangeReplay spokeTo(IkeEngine hub, TestPolicy hubPolicy, TestPolicy spokePolicy) {
        return new ExchangeReplay(ExchangeReplay.Peer.SPOKE, hubPolicy, hub, spokePolicy, ExchangeReplay.SPOKE,
                null).finish();
    }

    /** The seed hub with {@code limits}, after a spoke with two ACL lines came up to it. */
    private static ExchangeReplay twoLineSpokeToAHubWith(PeerLimits limits) {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.peerLimits = limits;
        IkeEngine hub = new IkeEngine(hubPolicy, ExchangeReplay.HUB, SimRouter.seededRandom(11));
        return spokeTo(hub, hubPolicy, spokeWithTwoLines());
    }

    @Test
    void quickModesInFlightOnOneIsakmpSa() {
        ExchangeReplay r = twoLineSpokeToAHubWith(new PeerLimits(256, 1, 512));
        IkeEngine hub = r.hub;
        assertThat(r.hubLog).anyMatch(l -> l.contains("Quick Modes in flight on ISAKMP SA")
                && l.contains("(limit 1 per ISAKMP SA)"));
        assertThat(hub.counters().failed(NegotiationFailure.PEER_LIMIT)).isEqualTo(1);
        assertThat(hub.childSas()).hasSize(1);
    }

    @Test
    void ipsecSaPairsWithOnePeer() {
        ExchangeReplay r = twoLineSpokeToAHubWith(new PeerLimits(256, 16, 1));
        IkeEngine hub = r.hub;
        assertThat(hub.childSas()).hasSize(1);
        assertThat(r.hubLog).anyMatch(l -> l.contains("already has 1 IPsec SA pairs (limit 1 per peer address)"));
    }

    @Test
    void isakmpSasFromOneAddress() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.peerLimits = new PeerLimits(1, 16, 512);
        IkeEngine hub = new IkeEngine(hubPolicy, ExchangeReplay.HUB, SimRouter.seededRandom(11));
        TestPolicy spoke = TestPolicy.seedSpoke(ExchangeReplay.HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0");
        spokeTo(hub, hubPolicy, spoke);
        assertThat(hub.ikeSaCount()).isEqualTo(1);
        // A second router at the same address (another spoke behind the same NAT, or the same one again).
        IkeEngine again = new IkeEngine(TestPolicy.seedSpoke(ExchangeReplay.HUB,
                "10.4.0.0 255.255.0.0 10.1.0.0 255.255.0.0"), ExchangeReplay.SPOKE, SimRouter.seededRandom(99));
        again.connectAll(0);
        List<String> hubLog = new java.util.ArrayList<>();
        java.util.ArrayDeque<Datagram> wire = new java.util.ArrayDeque<>(EngineBadInputTest.sends(again.drain()));
        for (int i = 0; i < 50 && !wire.isEmpty(); i++) {
            Datagram d = wire.poll();
            IkeEngine to = d.dst() == ExchangeReplay.HUB ? hub : again;
            to.receive(d, 0);
            List<IkeEffect> fx = to.drain();
            wire.addAll(EngineBadInputTest.sends(fx));
            if (to == hub) {
                fx.stream().filter(IkeEffect.Log.class::isInstance).map(e -> ((IkeEffect.Log) e).message().format())
                        .forEach(hubLog::add);
            }
        }
        assertThat(hubLog).anyMatch(l -> l.contains("already has 1 ISAKMP SAs (limit 1 per peer address)"));
        assertThat(hub.ikeSaCount()).isEqualTo(1);
        assertThat(hub.childSas()).hasSize(1);
    }

    /** A password longer than any real one fails as a wrong one, and is never hashed on the router's loop. */
    @Test
    void anOversizedXauthPasswordIsNeverChecked() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        IkeEngine hub = new IkeEngine(hubPolicy, ExchangeReplay.HUB, SimRouter.seededRandom(11));
        new ExchangeReplay(ExchangeReplay.Peer.CLIENT, hubPolicy, hub, TestPolicy.client(), ExchangeReplay.CLIENT,
                ExchangeReplay.clientProfile("g".repeat(XauthServer.MAX_CREDENTIAL_LENGTH + 1))).finish();
        assertThat(hubPolicy.authentications).isZero();
        assertThat(hub.childSas()).isEmpty();
        new ExchangeReplay(ExchangeReplay.Peer.CLIENT, hubPolicy, hub, TestPolicy.client(), ExchangeReplay.CLIENT + 1,
                ExchangeReplay.clientProfile("gfullage")).finish();
        assertThat(hubPolicy.authentications).isEqualTo(1);
        assertThat(hub.childSas()).hasSize(1);
    }
}
