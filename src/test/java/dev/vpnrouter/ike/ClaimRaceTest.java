package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What another peer holds, as the hub's claim rules see it (issue 13): a network another spoke is still
 * negotiating (its QM2 sent, its QM3 not yet in) is held, so two spokes racing for one network cannot both get it;
 * a half-open SA is not a peer at all, so spoofed first messages from inside a spoke's network cannot block its
 * claim.
 */
class ClaimRaceTest {
    private static final int SPOKE_A = ExchangeReplay.SPOKE;
    private static final int SPOKE_B = Ipv4.parse("198.51.100.200");
    private static final String SPOKE_LAN = "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0";

    /** Runs {@code spoke} against {@code hub} until quiet; datagrams {@code hold} matches are kept back. */
    private static List<String> pump(IkeEngine hub, IkeEngine spoke, Predicate<Datagram> hold, List<Datagram> held,
            ArrayDeque<Datagram> wire) {
        return pump(hub, spoke, hold, held, wire, 0);
    }

    private static List<String> pump(IkeEngine hub, IkeEngine spoke, Predicate<Datagram> hold, List<Datagram> held,
            ArrayDeque<Datagram> wire, long now) {
        List<String> hubLog = new ArrayList<>();
        for (int i = 0; i < 100 && !wire.isEmpty(); i++) {
            Datagram d = wire.poll();
            if (hold.test(d)) {
                held.add(d);
                continue;
            }
            IkeEngine to = d.dst() == ExchangeReplay.HUB ? hub : spoke;
            to.receive(d, now);
            List<IkeEffect> fx = to.drain();
            wire.addAll(EngineBadInputTest.sends(fx));
            if (to == hub) {
                fx.stream().filter(IkeEffect.Log.class::isInstance)
                        .map(e -> ((IkeEffect.Log) e).message().format()).forEach(hubLog::add);
            }
        }
        return hubLog;
    }

    private static IkeEngine spoke(int address, long seed) {
        IkeEngine e = new IkeEngine(TestPolicy.seedSpoke(ExchangeReplay.HUB, SPOKE_LAN), address,
                SimRouter.seededRandom(seed));
        e.connectAll(0);
        return e;
    }

    private static boolean quickMode(Datagram d) {
        return (d.data()[18] & 0xff) == ExchangeType.QUICK_MODE;
    }

    @Test
    void aNetworkBeingNegotiatedIsHeldSoTwoSpokesCannotBothGetIt() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), ExchangeReplay.HUB, SimRouter.seededRandom(11));
        IkeEngine a = spoke(SPOKE_A, 21);
        List<Datagram> heldQm3 = new ArrayList<>();
        int[] quickModesFromA = {0};
        // A's second Quick Mode message is its QM3: held back, so A's network is in flight at the hub.
        pump(hub, a, d -> d.src() == SPOKE_A && quickMode(d) && ++quickModesFromA[0] == 2, heldQm3,
                new ArrayDeque<>(EngineBadInputTest.sends(a.drain())));
        assertThat(heldQm3).hasSize(1);
        assertThat(hub.childSas()).isEmpty();

        IkeEngine b = spoke(SPOKE_B, 22);
        List<String> log = pump(hub, b, d -> false, new ArrayList<>(),
                new ArrayDeque<>(EngineBadInputTest.sends(b.drain())));
        assertThat(log).anyMatch(l -> l.contains("peer 198.51.100.200 claims 10.2.0.0/255.255.0.0")
                && l.contains("overlaps a network peer 198.51.100.146 has negotiated"));
        assertThat(hub.childSas()).isEmpty();

        pump(hub, a, d -> false, new ArrayList<>(), new ArrayDeque<>(heldQm3));
        assertThat(hub.childSas()).singleElement().satisfies(c -> assertThat(c.peerAddress()).isEqualTo(SPOKE_A));
    }

    /**
     * The hub keeps the Quick Modes in flight in an index of their own (asked for every Quick Mode, so it must not
     * walk every ISAKMP SA); an exchange that can no longer finish must leave it, or its network stays blocked.
     */
    @Test
    void aNetworkWhoseNegotiationEndedWithItsIsakmpSaIsFreeForAnotherSpoke() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), ExchangeReplay.HUB, SimRouter.seededRandom(12));
        IkeEngine a = spoke(SPOKE_A, 23);
        List<Datagram> heldQm3 = new ArrayList<>();
        int[] quickModesFromA = {0};
        pump(hub, a, d -> d.src() == SPOKE_A && quickMode(d) && ++quickModesFromA[0] == 2, heldQm3,
                new ArrayDeque<>(EngineBadInputTest.sends(a.drain())));
        assertThat(heldQm3).hasSize(1);
        // A's ISAKMP SA goes at the hub (clear crypto isakmp) with its Quick Mode still waiting for QM3.
        int connId = hub.ikeSas().stream().filter(sa -> sa.peerAddress() == SPOKE_A).findFirst().orElseThrow()
                .connId();
        assertThat(hub.clearIsakmp(connId, 0)).isTrue();
        hub.drain();

        IkeEngine b = spoke(SPOKE_B, 24);
        List<String> log = pump(hub, b, d -> false, new ArrayList<>(),
                new ArrayDeque<>(EngineBadInputTest.sends(b.drain())));
        assertThat(log).noneMatch(l -> l.contains("has negotiated"));
        assertThat(hub.childSas()).singleElement().satisfies(c -> assertThat(c.peerAddress()).isEqualTo(SPOKE_B));
    }

    @Test
    void aNetworkWhoseQuickModeWasGivenUpIsFreeForAnotherSpoke() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), ExchangeReplay.HUB, SimRouter.seededRandom(13));
        IkeEngine a = spoke(SPOKE_A, 25);
        int[] quickModesFromA = {0};
        // A's QM3 never arrives, nor anything of A's after it: the hub retransmits QM2, then gives the exchange up.
        pump(hub, a, d -> d.src() == SPOKE_A && quickMode(d) && ++quickModesFromA[0] >= 2, new ArrayList<>(),
                new ArrayDeque<>(EngineBadInputTest.sends(a.drain())));
        long now = 0;
        for (; now <= 180_000; now += 1_000) {
            hub.tick(now);
            hub.drain();
        }

        IkeEngine b = spoke(SPOKE_B, 26);
        List<String> log = pump(hub, b, d -> false, new ArrayList<>(),
                new ArrayDeque<>(EngineBadInputTest.sends(b.drain())), now);
        assertThat(log).noneMatch(l -> l.contains("has negotiated"));
        assertThat(hub.childSas()).singleElement().satisfies(c -> assertThat(c.peerAddress()).isEqualTo(SPOKE_B));
    }

    @Test
    void spoofedFirstMessagesFromInsideASpokesNetworkDoNotBlockItsClaim() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), ExchangeReplay.HUB, SimRouter.seededRandom(11));
        // MM1s "from" 10.2.0.5, inside the network the real spoke will claim: half-open SAs at the hub.
        for (int i = 0; i < 3; i++) {
            IkeEngine forger = spoke(Ipv4.parse("10.2.0.5"), 30 + i);
            Datagram mm1 = EngineBadInputTest.sends(forger.drain()).getFirst();
            hub.receive(mm1, 0);
            hub.drain();
        }
        assertThat(hub.ikeSaCount()).isEqualTo(3);
        IkeEngine a = spoke(SPOKE_A, 21);
        pump(hub, a, d -> false, new ArrayList<>(), new ArrayDeque<>(EngineBadInputTest.sends(a.drain())));
        assertThat(hub.childSas()).singleElement().satisfies(c -> assertThat(c.peerAddress()).isEqualTo(SPOKE_A));
    }

    /**
     * Issue 16: a spoke that echoed the hub's cookie (its MM3 came) is never dropped by a flood of first messages
     * from other sources, even when the flood fills the half-open cap many times over.
     */
    @Test
    void aSpokePastMm3IsNotDroppedByAFloodFromElsewhere() {
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.inNegotiationLimit = 20;
        IkeEngine hub = new IkeEngine(hubPolicy, ExchangeReplay.HUB, SimRouter.seededRandom(11));
        IkeEngine a = spoke(SPOKE_A, 21);
        List<Datagram> held = new ArrayList<>();
        int[] fromA = {0};
        // MM1 and MM3 reach the hub; MM5 (A's third message) waits while the flood comes.
        pump(hub, a, d -> d.src() == SPOKE_A && ++fromA[0] == 3, held,
                new ArrayDeque<>(EngineBadInputTest.sends(a.drain())));
        assertThat(held).hasSize(1);
        IkeEngine forger = spoke(Ipv4.parse("203.0.113.77"), 40);
        Datagram mm1 = EngineBadInputTest.sends(forger.drain()).getFirst();
        for (int i = 0; i < 500; i++) {
            byte[] data = mm1.data().clone();
            data[0] = (byte) i;
            data[1] = (byte) (i >> 8);
            hub.receive(new Datagram(Ipv4.parse("100.64.0.0") + i, 500, ExchangeReplay.HUB, 500, data), 0);
            hub.drain();
        }
        assertThat(hub.halfOpenCount()).isLessThanOrEqualTo(20);
        pump(hub, a, d -> false, new ArrayList<>(), new ArrayDeque<>(held));
        assertThat(hub.childSas()).singleElement().satisfies(c -> assertThat(c.peerAddress()).isEqualTo(SPOKE_A));
    }
}
