package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bytes at every step of a real exchange: nothing escapes the engine as an exception (its internal-error
 * counter stays 0), and state that bad input creates is bounded and goes away.
 */
class EngineBadInputTest {
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int SPOKE = Ipv4.parse("198.51.100.146");

    /** The datagrams a spoke sends to the hub in a full Main Mode + Quick Mode, recorded from a real run. */
    static List<Datagram> recordSpokeToHub() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(1));
        IkeEngine spoke = new IkeEngine(TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"),
                SPOKE, SimRouter.seededRandom(2));
        List<Datagram> toHub = new ArrayList<>();
        spoke.connectAll(0);
        List<Datagram> pending = sends(spoke.drain());
        for (int round = 0; round < 10 && !pending.isEmpty(); round++) {
            List<Datagram> next = new ArrayList<>();
            for (Datagram d : pending) {
                toHub.add(d);
                hub.receive(d, 0);
                for (Datagram reply : sends(hub.drain())) {
                    spoke.receive(reply, 0);
                    next.addAll(sends(spoke.drain()));
                }
            }
            pending = next;
        }
        assertThat(hub.childSas()).hasSize(1);
        return toHub;
    }

    static List<Datagram> sends(List<IkeEffect> effects) {
        List<Datagram> out = new ArrayList<>();
        for (IkeEffect e : effects) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram());
            }
        }
        return out;
    }

    /** A hub that has processed the first {@code n} recorded messages (same seed, so the same cookies and keys). */
    static IkeEngine hubAfter(List<Datagram> recorded, int n) {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(1));
        for (int i = 0; i < n; i++) {
            hub.receive(recorded.get(i), 0);
            hub.drain();
        }
        return hub;
    }

    static byte[] mutate(byte[] valid, SplittableRandom r) {
        byte[] b = valid.clone();
        switch (r.nextInt(5)) {
            case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            case 1 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 3 -> {
                // a payload length field somewhere after the header, set to something wrong
                int at = 28 + r.nextInt(Math.max(1, b.length - 28));
                if (at + 3 < b.length) {
                    b[at + 2] = (byte) r.nextInt(256);
                    b[at + 3] = (byte) r.nextInt(256);
                }
            }
            default -> {
                byte[] grown = Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
                r.nextBytes(grown);
                System.arraycopy(b, 0, grown, 0, b.length);
                b = grown;
            }
        }
        return b;
    }

    @Test
    void mutatedMessagesAtEveryStepNeverEscapeAndLeaveNoExtraState() {
        List<Datagram> recorded = recordSpokeToHub();
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(5); // MM1, MM3, MM5, QM1, QM3
        // Replaying the recording rebuilds the same hub (same seed): each mutation meets the state it targets.
        assertThat(hubAfter(recorded, recorded.size()).childSas()).hasSize(1);
        SplittableRandom r = new SplittableRandom(99);
        for (int step = 0; step < recorded.size(); step++) {
            for (int i = 0; i < 300; i++) {
                IkeEngine hub = hubAfter(recorded, step);
                int sasBefore = hub.ikeSaCount();
                Datagram valid = recorded.get(step);
                byte[] bad = mutate(valid.data(), r);
                hub.receive(new Datagram(valid.src(), valid.srcPort(), valid.dst(), valid.dstPort(), bad), 0);
                hub.drain();
                assertThat(hub.counters().internalErrors).as("step %d case %d", step, i).isZero();
                assertThat(hub.ikeSaCount()).as("step %d case %d", step, i).isLessThanOrEqualTo(sasBefore + 1);
                // Whatever half-open state the bad message made, time clears it.
                hub.tick(SaTimersWindow.END);
                hub.drain();
                assertThat(hub.halfOpenCount()).as("step %d case %d", step, i).isZero();
            }
        }
    }

    /** Past every negotiation timeout, before any lifetime. */
    static final class SaTimersWindow {
        static final long END = SaTimers.HALF_OPEN_TIMEOUT_MILLIS + 1;
    }

    @Test
    void randomBytesFromAnywhereAreCountedAndDropped() {
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(3));
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[r.nextInt(400)];
            r.nextBytes(junk);
            hub.receive(new Datagram(r.nextInt(), r.nextInt(65536), HUB, 500, junk), 0);
        }
        hub.drain();
        assertThat(hub.counters().internalErrors).isZero();
        assertThat(hub.counters().malformed + hub.counters().unknownSa).isEqualTo(20_000);
        assertThat(hub.ikeSaCount()).isZero();
    }

    @Test
    void mainModeFloodIsCappedPerSourceAndInTotal() {
        List<Datagram> recorded = recordSpokeToHub();
        byte[] mm1 = recorded.getFirst().data();
        IkeEngine hub = new IkeEngine(TestPolicy.seedHub(), HUB, SimRouter.seededRandom(4));
        SplittableRandom r = new SplittableRandom(6);
        // 50,000 first messages from 5,000 sources, each with a fresh initiator cookie.
        for (int i = 0; i < 50_000; i++) {
            byte[] m = mm1.clone();
            for (int k = 0; k < 8; k++) {
                m[k] = (byte) r.nextInt(256);
            }
            int source = Ipv4.parse("100.64.0.0") + (i % 5_000);
            hub.receive(new Datagram(source, 500, HUB, 500, m), i / 50);
            hub.drain();
            assertThat(hub.halfOpenCount()).isLessThanOrEqualTo(IkeEngine.HALF_OPEN_TOTAL);
        }
        assertThat(hub.ikeSaCount()).isLessThanOrEqualTo(IkeEngine.HALF_OPEN_TOTAL);
        // A full table answers statelessly (MainModeCookies) instead of evicting anyone's negotiation.
        assertThat(hub.counters().halfOpenDropped).isZero();
        assertThat(hub.counters().mainModeCookiesSent).isEqualTo(50_000 - IkeEngine.HALF_OPEN_TOTAL);
        // Evicted SAs do not stay reachable through their pending timers (that held ~12 KiB per live half-open SA
        // after 50,000 messages before the queue was compacted).
        assertThat(hub.timerQueueSize()).isLessThan(2 * IkeEngine.HALF_OPEN_TOTAL + 1_100);
        assertThat(hub.counters().internalErrors).isZero();
        // A legitimate spoke still gets through during the flood, and the flood's state times out.
        IkeEngine spoke = new IkeEngine(TestPolicy.seedSpoke(HUB, "10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0"),
                SPOKE, SimRouter.seededRandom(7));
        spoke.connectAll(1_000);
        List<Datagram> pending = sends(spoke.drain());
        for (int round = 0; round < 10 && !pending.isEmpty(); round++) {
            List<Datagram> next = new ArrayList<>();
            for (Datagram d : pending) {
                hub.receive(d, 1_000);
                for (Datagram reply : sends(hub.drain())) {
                    spoke.receive(reply, 1_000);
                    next.addAll(sends(spoke.drain()));
                }
            }
            pending = next;
        }
        assertThat(spoke.childSas()).hasSize(1);
        hub.tick(1_000 + SaTimers.HALF_OPEN_TIMEOUT_MILLIS + 1);
        hub.drain();
        assertThat(hub.halfOpenCount()).isZero();
        assertThat(hub.ikeSaCount()).isEqualTo(1);
    }

    /**
     * {@code crypto call admission limit ike in-negotiation-sa N} sets the total: past it MM1 gets a stateless
     * answer and no SA. A lower one takes effect at once: no new half-open SA until the count is under it.
     */
    @Test
    void callAdmissionLimitCapsTheSasInNegotiation() throws Exception {
        byte[] mm1 = recordSpokeToHub().getFirst().data();
        String hubCfg = java.nio.file.Files.readString(java.nio.file.Path.of("examples/seed/hub.cfg"));
        IkeEngine hub = new IkeEngine(seedHubWithLimit(hubCfg, 100), HUB, SimRouter.seededRandom(8));
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 1_000; i++) {
            hub.receive(new Datagram(Ipv4.parse("100.64.0.0") + i, 500, HUB, 500, freshCookie(mm1, r)), i);
            hub.drain();
            assertThat(hub.halfOpenCount()).isLessThanOrEqualTo(100);
        }
        assertThat(hub.halfOpenCount()).isEqualTo(100);
        assertThat(hub.counters().mainModeCookiesSent).isEqualTo(900);
        assertThat(hub.counters().halfOpenDropped).isZero();

        hub.reconfigure(seedHubWithLimit(hubCfg, 10));
        hub.receive(new Datagram(Ipv4.parse("100.65.0.1"), 500, HUB, 500, freshCookie(mm1, r)), 1_000);
        hub.drain();
        assertThat(hub.halfOpenCount()).isEqualTo(100);
        assertThat(hub.counters().mainModeCookiesSent).isEqualTo(901);
        assertThat(hub.counters().internalErrors).isZero();
    }

    private static dev.vpnrouter.ike.cfg.EnginePolicy seedHubWithLimit(String hubCfg, int limit) {
        var loaded = dev.vpnrouter.config.ConfigLoader.load(hubCfg.replace("\nend",
                "\ncrypto call admission limit ike in-negotiation-sa " + limit + "\nend"));
        assertThat(loaded.diagnostics()).noneMatch(d -> d.isError());
        return new dev.vpnrouter.ike.cfg.ConfigPolicy(loaded.config());
    }

    private static byte[] freshCookie(byte[] mm1, SplittableRandom r) {
        byte[] m = mm1.clone();
        for (int k = 0; k < 8; k++) {
            m[k] = (byte) r.nextInt(256);
        }
        return m;
    }
}
