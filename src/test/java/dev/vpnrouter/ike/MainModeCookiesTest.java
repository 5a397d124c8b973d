package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.vpnrouter.ike.EngineBadInputTest.HUB;
import static dev.vpnrouter.ike.EngineBadInputTest.SPOKE;
import static dev.vpnrouter.ike.EngineBadInputTest.sends;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: stateless Main Mode under pressure. MM1 is answered from an SA that is never registered; only an MM3
 * that echoes the responder cookie from MM2's address, while the arena still holds its MM1, makes an SA.
 */
class MainModeCookiesTest {
    private static final String SPOKE_LAN = "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0";
    private static final int FLOOD_BASE = Ipv4.parse("100.64.0.0");

    private static IkeEngine hub(long seed) {
        return new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(seed));
    }

    private static IkeEngine spoke(int address, long seed) {
        return spoke(address, seed, SPOKE_LAN);
    }

    private static IkeEngine spoke(int address, long seed, String acl) {
        return new IkeEngine(TestPolicy.seedSpoke(HUB, acl), address, SimRouter.seededRandom(seed));
    }

    /** Carries datagrams between {@code hub} and {@code spoke} until quiet; what went to the hub is returned. */
    private static List<Datagram> pump(IkeEngine hub, IkeEngine spoke, List<Datagram> pending, long now) {
        List<Datagram> toHub = new ArrayList<>();
        for (int round = 0; round < 20 && !pending.isEmpty(); round++) {
            List<Datagram> next = new ArrayList<>();
            for (Datagram d : pending) {
                IkeEngine to = d.dst() == HUB ? hub : spoke;
                if (to == hub) {
                    toHub.add(d);
                }
                to.receive(d, now);
                next.addAll(sends(to.drain()));
            }
            pending = next;
        }
        return toHub;
    }

    private static byte[] withCookie(byte[] message, long icookie) {
        byte[] m = message.clone();
        for (int k = 0; k < 8; k++) {
            m[k] = (byte) (icookie >>> (56 - 8 * k));
        }
        return m;
    }

    private static long responderCookie(byte[] message) {
        long c = 0;
        for (int k = 8; k < 16; k++) {
            c = (c << 8) | (message[k] & 0xff);
        }
        return c;
    }

    @Test
    void aSpokeConnectsThroughTheCookiePathAndNoSaExistsBeforeMm3() {
        IkeEngine hub = hub(1);
        hub.mainModeCookiesFrom(0);
        IkeEngine spoke = spoke(SPOKE, 2);
        spoke.connectAll(0);
        Datagram mm1 = sends(spoke.drain()).getFirst();
        hub.receive(mm1, 0);
        List<Datagram> mm2 = sends(hub.drain());
        assertThat(mm2).singleElement().satisfies(d -> assertThat(d.dst()).isEqualTo(SPOKE));
        assertThat(hub.ikeSaCount()).as("no SA for MM1").isZero();
        assertThat(hub.nextTimerMillis()).as("no timer for MM1").isEqualTo(Long.MAX_VALUE);
        assertThat(mm2.getFirst().data().length).isLessThanOrEqualTo(3 * mm1.data().length);

        spoke.receive(mm2.getFirst(), 0);
        pump(hub, spoke, sends(spoke.drain()), 0);
        assertThat(spoke.childSas()).hasSize(1);
        assertThat(hub.childSas()).hasSize(1);
        assertThat(hub.establishedCount()).isEqualTo(1);
        assertThat(hub.counters().mainModeCookiesSent).isEqualTo(1);
        assertThat(hub.counters().mainModeCookiesRedeemed).isEqualTo(1);
        assertThat(hub.counters().internalErrors).isZero();
    }

    @Test
    void theCookiePathWorksWithDebugOn() {
        IkeEngine hub = hub(1);
        hub.setDebug(true); // the stateless MM2's probe SA has no exchange: its debug lines must not need one
        hub.mainModeCookiesFrom(0);
        IkeEngine spoke = spoke(SPOKE, 2);
        spoke.connectAll(0);
        hub.receive(sends(spoke.drain()).getFirst(), 0);
        List<Datagram> mm2 = sends(hub.drain());
        assertThat(mm2).hasSize(1);
        spoke.receive(mm2.getFirst(), 0);
        pump(hub, spoke, sends(spoke.drain()), 0);
        assertThat(hub.establishedCount()).isEqualTo(1);
        assertThat(hub.counters().internalErrors).isZero();
    }

    /** The MM3 of a cookie-path negotiation, with the hub before it arrived. */
    private record AtMm3(IkeEngine hub, IkeEngine spoke, Datagram mm3) {
    }

    private static AtMm3 atMm3() {
        IkeEngine hub = hub(3);
        hub.mainModeCookiesFrom(0);
        IkeEngine spoke = spoke(SPOKE, 4);
        spoke.connectAll(0);
        hub.receive(sends(spoke.drain()).getFirst(), 0);
        spoke.receive(sends(hub.drain()).getFirst(), 0);
        Datagram mm3 = sends(spoke.drain()).getFirst();
        return new AtMm3(hub, spoke, mm3);
    }

    @Test
    void aForgedCookieOrAnotherAddressMakesNoSa() {
        AtMm3 s = atMm3();
        byte[] forged = s.mm3().data().clone();
        forged[15] ^= 1;
        s.hub().receive(new Datagram(SPOKE, 500, HUB, 500, forged), 0);
        s.hub().receive(new Datagram(SPOKE + 1, 500, HUB, 500, s.mm3().data()), 0);
        assertThat(sends(s.hub().drain())).isEmpty();
        assertThat(s.hub().ikeSaCount()).isZero();
        assertThat(s.hub().counters().mainModeCookiesRejected).isEqualTo(2);
        // The real one still redeems its cookie, once: a replayed MM3 finds the SA and gets the cached MM4.
        s.hub().receive(s.mm3(), 0);
        List<Datagram> mm4 = sends(s.hub().drain());
        s.hub().receive(s.mm3(), 0);
        assertThat(sends(s.hub().drain())).singleElement().satisfies(d -> assertThat(d.data()).isEqualTo(
                mm4.getFirst().data()));
        assertThat(s.hub().ikeSaCount()).isEqualTo(1);
        assertThat(s.hub().counters().mainModeCookiesRedeemed).isEqualTo(1);
        assertThat(s.hub().halfOpenCount()).isEqualTo(1);
    }

    @Test
    void anOverwrittenEntryNoLongerRedeems() {
        AtMm3 s = atMm3();
        byte[] mm1 = EngineBadInputTest.recordSpokeToHub().getFirst().data();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < MainModeCookies.ENTRIES; i++) {
            s.hub().receive(new Datagram(FLOOD_BASE + i % 1_000, 500, HUB, 500, withCookie(mm1, r.nextLong())), 0);
            s.hub().drain();
        }
        s.hub().receive(s.mm3(), 0);
        assertThat(sends(s.hub().drain())).isEmpty();
        assertThat(s.hub().ikeSaCount()).isZero();
        assertThat(s.hub().counters().mainModeCookiesSent).isEqualTo(1 + MainModeCookies.ENTRIES);
    }

    @Test
    void theArenaOverwritesOldMessagesAndTheKeyRotates() {
        MainModeCookies cookies = new MainModeCookies(SimRouter.seededRandom(6));
        byte[] big = new byte[MainModeCookies.MAX_MESSAGE1];
        long first = cookies.issue(big, 7, SPOKE, 500, 500, 0);
        // The arena holds 512 messages of 8 KiB: the 512th wraps and overwrites the first's bytes.
        for (int i = 0; i < MainModeCookies.ARENA_BYTES / big.length - 1; i++) {
            cookies.issue(big, 8 + i, SPOKE, 500, 500, 0);
        }
        long beforeWrap = cookies.issue(big, 1_000, SPOKE, 500, 500, 0);
        assertThat(cookies.redeem(7, first, SPOKE, 0)).as("bytes overwritten").isNegative();
        assertThat(cookies.redeem(1_000, beforeWrap, SPOKE, 0)).isNotNegative();
        assertThat(cookies.issue(new byte[MainModeCookies.MAX_MESSAGE1 + 1], 9, SPOKE, 500, 500, 0)).isZero();

        long old = cookies.issue(new byte[100], 11, SPOKE, 500, 500, 0);
        long recent = cookies.issue(new byte[100], 12, SPOKE, 500, 500, MainModeCookies.ROTATE_MILLIS);
        assertThat(cookies.redeem(11, old, SPOKE, MainModeCookies.ROTATE_MILLIS + 1))
                .as("made under the key before the last rotation").isNotNegative();
        assertThat(cookies.redeem(12, recent, SPOKE, 3 * MainModeCookies.ROTATE_MILLIS))
                .as("two rotations later").isNegative();
    }

    @Test
    void theMacDependsOnEveryInputAndTheKey() {
        long[] v = new long[4];
        long base = MainModeCookies.sipHash24(v, 1, 2, 3, 4, 5);
        assertThat(MainModeCookies.sipHash24(v, 1, 2, 3, 4, 5)).isEqualTo(base);
        assertThat(List.of(MainModeCookies.sipHash24(v, 9, 2, 3, 4, 5), MainModeCookies.sipHash24(v, 1, 9, 3, 4, 5),
                MainModeCookies.sipHash24(v, 1, 2, 9, 4, 5), MainModeCookies.sipHash24(v, 1, 2, 3, 9, 5),
                MainModeCookies.sipHash24(v, 1, 2, 3, 4, 9))).doesNotContain(base).doesNotHaveDuplicates();
    }

    /**
     * 100,000 spoofed MM1 from 1,000 sources (a tenth of a second at the issue's rate, in engine time 30 s):
     * established tunnels stay, the hub keeps no more SAs than its limit, a new spoke still connects, and the
     * bytes it sends are at most 3 times what came in.
     */
    @Test
    void aFloodOfSpoofedMainModeKeepsTunnelsUpAndLetsANewSpokeIn() {
        IkeEngine hub = hub(7);
        List<IkeEngine> spokes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            IkeEngine s = spoke(Ipv4.parse("198.51.100.10") + i, 100 + i,
                    "10." + (10 + i) + ".0.0 255.255.0.0 10.1.0.0 255.255.0.0");
            s.connectAll(0);
            pump(hub, s, sends(s.drain()), 0);
            spokes.add(s);
        }
        assertThat(hub.establishedCount()).isEqualTo(20);
        byte[] mm1 = EngineBadInputTest.recordSpokeToHub().getFirst().data();
        SplittableRandom r = new SplittableRandom(8);
        long in = 0;
        long out = 0;
        IkeEngine late = spoke(SPOKE, 9);
        for (int i = 0; i < 100_000; i++) {
            long now = i * 30_000L / 100_000;
            byte[] m = withCookie(mm1, r.nextLong());
            in += m.length;
            hub.receive(new Datagram(FLOOD_BASE + i % 1_000, 500, HUB, 500, m), now);
            for (Datagram d : sends(hub.drain())) {
                out += d.data().length;
            }
            if (i % 1_000 == 0) {
                hub.tick(now);
                for (Datagram d : sends(hub.drain())) {
                    if (d.dst() >= FLOOD_BASE && d.dst() < FLOOD_BASE + 1_000) {
                        out += d.data().length;
                    }
                }
            }
            if (i == 50_000) {
                late.connectAll(now);
                pump(hub, late, sends(late.drain()), now);
                assertThat(late.childSas()).as("a new spoke during the flood").hasSize(1);
                assertThat(hub.counters().mainModeCookiesRedeemed).as("through the cookie path").isEqualTo(1);
            }
            assertThat(hub.halfOpenCount()).isLessThanOrEqualTo(IkeEngine.HALF_OPEN_TOTAL);
        }
        assertThat(hub.establishedCount()).isEqualTo(21);
        // Only the oldest spoofed half-open SA, to make room for the new spoke's proven one.
        assertThat(hub.counters().halfOpenDropped).isEqualTo(1);
        assertThat(hub.counters().mainModeCookiesSent).isGreaterThan(90_000);
        assertThat((double) out / in).as("bytes out per byte in").isLessThanOrEqualTo(3.0);
        assertThat(hub.counters().internalErrors).isZero();
        hub.tick(30_000 + SaTimers.HALF_OPEN_TIMEOUT_MILLIS + 1);
        hub.drain();
        assertThat(hub.halfOpenCount()).isZero();
        assertThat(hub.ikeSaCount()).isEqualTo(21);
    }

    /** The smallest MM1 the hub accepts (one transform, no vendor ID) still gets an MM2 at most 3 times its size. */
    @Test
    void theStatelessAnswerToTheSmallestMm1IsAtMostThreeTimesItsSize() {
        IkeEngine hub = hub(10);
        hub.mainModeCookiesFrom(0);
        byte[] mm1 = minimalMm1();
        hub.receive(new Datagram(SPOKE, 500, HUB, 500, mm1), 0);
        List<Datagram> mm2 = sends(hub.drain());
        assertThat(mm2).hasSize(1);
        assertThat(mm2.getFirst().data().length).isLessThanOrEqualTo(3 * mm1.length);
    }

    /** The seed spoke's MM1 with its vendor IDs removed: the SA payload alone. */
    private static byte[] minimalMm1() {
        byte[] mm1 = EngineBadInputTest.recordSpokeToHub().getFirst().data();
        int saLength = ((mm1[28 + 2] & 0xff) << 8) | (mm1[28 + 3] & 0xff);
        byte[] m = java.util.Arrays.copyOf(mm1, 28 + saLength);
        m[28] = 0; // SA is the last payload
        m[24] = (byte) (m.length >>> 24);
        m[25] = (byte) (m.length >>> 16);
        m[26] = (byte) (m.length >>> 8);
        m[27] = (byte) m.length;
        return m;
    }

    /**
     * A spoofed MM1 that reuses a live negotiation's initiator cookie cannot take that cookie's place: our own
     * initiator SA still gets its MM2, and the hub's SA still answers its peer's repeated MM1.
     */
    @Test
    void aSpoofedMm1ReusingALiveCookieUnlinksNothing() {
        IkeEngine hub = hub(11);
        IkeEngine spoke = spoke(SPOKE, 12);
        spoke.connectAll(0);
        Datagram mm1 = sends(spoke.drain()).getFirst();
        // At the spoke: a "first message" from elsewhere with the spoke's own cookie, before the hub's MM2.
        spoke.receive(new Datagram(FLOOD_BASE, 500, SPOKE, 500, mm1.data()), 0);
        spoke.drain();
        hub.receive(mm1, 0);
        List<Datagram> mm2 = sends(hub.drain());
        // At the hub: the same cookie from another source, which the per-source cap then drops again.
        hub.receive(new Datagram(FLOOD_BASE + 1, 500, HUB, 500, mm1.data()), 0);
        hub.drain();
        hub.clearSession(FLOOD_BASE + 1, 0);
        hub.drain();
        hub.receive(mm1, 0); // the spoke's MM1 again: its SA answers with the same MM2
        assertThat(sends(hub.drain())).singleElement().satisfies(d -> assertThat(responderCookie(d.data()))
                .isEqualTo(responderCookie(mm2.getFirst().data())));
        pump(hub, spoke, mm2, 0);
        assertThat(spoke.childSas()).hasSize(1);
        assertThat(hub.childSas()).hasSize(1);
        assertThat(hub.counters().internalErrors).isZero();
    }

    /** Refusals of first messages are counted, every one, but logged at most once a minute per source. */
    @Test
    void refusedFirstMessagesAreLoggedAtARate() {
        IkeEngine hub = hub(13);
        byte[] mm1 = minimalMm1();
        // An offer the hub cannot take: the transform's encryption attribute names an unknown algorithm.
        int encryption = indexOf(mm1, new byte[]{(byte) 0x80, 0x01, 0x00});
        assertThat(encryption).isPositive();
        mm1[encryption + 3] = 99;
        SplittableRandom r = new SplittableRandom(14);
        int lines = 0;
        for (int i = 0; i < 5_000; i++) {
            hub.receive(new Datagram(FLOOD_BASE + i % 50, 500, HUB, 500, withCookie(mm1, r.nextLong())), i);
            for (IkeEffect e : hub.drain()) {
                lines += e instanceof IkeEffect.Log ? 1 : 0;
            }
        }
        assertThat(hub.counters().failed(NegotiationFailure.NO_PROPOSAL_CHOSEN)).isEqualTo(5_000);
        assertThat(lines).as("log lines for 5,000 refusals in 5 s").isLessThanOrEqualTo(3 * 10);
        assertThat(hub.ikeSaCount()).isZero();
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 28; i + what.length <= data.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (data[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
