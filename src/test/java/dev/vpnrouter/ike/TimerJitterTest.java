package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.sim.SimRouter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tunnels set up in the same millisecond must not renew or probe in the same second: ISAKMP SA renewal, IPsec SA
 * renewal and DPD start with jitter, as IOS and strongSwan do. 200 spokes come up against one hub at t = 0.
 */
class TimerJitterTest {
    private static final int SPOKES = 200;
    private static final int DPD_SECONDS = 10;
    private static IkeEngine hub;
    private static final List<IkeEngine> spokes = new ArrayList<>();

    @BeforeAll
    static void bringUpAllAtOnce() {
        int hubAddress = Ipv4.parse("203.0.113.2");
        TestPolicy hubPolicy = TestPolicy.seedHub();
        hubPolicy.dpd = DPD_SECONDS;
        hub = new IkeEngine(hubPolicy, hubAddress, SimRouter.seededRandom(1));
        for (int i = 0; i < SPOKES; i++) {
            int net = Ipv4.parse("10.128.0.0") + (i << 8);
            TestPolicy spokePolicy = TestPolicy.seedSpoke(hubAddress, Ipv4.format(net)
                    + " 255.255.255.0 10.1.0.0 255.255.0.0");
            spokePolicy.dpd = DPD_SECONDS;
            IkeEngine spoke = new IkeEngine(spokePolicy, Ipv4.parse("100.64.0.1") + i, SimRouter.seededRandom(10L + i));
            spoke.connectAll(0);
            List<Datagram> pending = sends(spoke.drain());
            while (!pending.isEmpty()) {
                List<Datagram> next = new ArrayList<>();
                for (Datagram d : pending) {
                    hub.receive(d, 0);
                    for (Datagram reply : sends(hub.drain())) {
                        spoke.receive(reply, 0);
                        next.addAll(sends(spoke.drain()));
                    }
                }
                pending = next;
            }
            spokes.add(spoke);
        }
        assertThat(hub.childSas()).hasSize(SPOKES);
    }

    @Test
    void isakmpRenewalsSpreadOverFivePercentOfTheLifetime() {
        List<Long> at = new ArrayList<>();
        for (IkeEngine spoke : spokes) {
            for (IkeSa sa : spoke.allSas()) {
                long life = sa.lifetimeSeconds * 1000L;
                assertThat(sa.rekeyAtMillis).isBetween(life * 85 / 100, life * 90 / 100);
                at.add(sa.rekeyAtMillis);
            }
        }
        assertThat(at).hasSize(SPOKES);
        assertThat(busiestSecond(at)).as("renewals in the busiest second").isLessThanOrEqualTo(3);
    }

    @Test
    void ipsecRenewalsSpreadOverFivePercentOfTheLifetime() {
        List<Long> at = new ArrayList<>();
        for (IkeEngine spoke : spokes) {
            for (ChildSa c : spoke.childSas()) {
                assertThat(c.initiator()).isTrue();
                long life = c.lifetimeSeconds() * 1000L;
                long soft = SaTimers.softExpiry(c);
                assertThat(soft).isBetween(life * 85 / 100, life * 90 / 100);
                at.add(soft);
            }
        }
        assertThat(at).hasSize(SPOKES);
        // 3,600 s: 5% is 180 s for 200 pairs; without jitter all 200 would fall in one second.
        assertThat(busiestSecond(at)).as("IPsec renewals in the busiest second").isLessThanOrEqualTo(8);
    }

    @Test
    void dpdChecksSpreadOverATenthOfTheInterval() {
        List<Long> at = new ArrayList<>();
        for (IkeSa sa : hub.allSas()) {
            assertThat(sa.dpd.running()).isTrue();
            long due = sa.dpd.dueAtMillis();
            assertThat(due).isBetween(DPD_SECONDS * 900L, DPD_SECONDS * 1000L);
            at.add(due);
        }
        assertThat(at).hasSize(SPOKES);
        long distinct100ms = at.stream().map(t -> t / 100).distinct().count();
        assertThat(distinct100ms).as("distinct 100 ms slots of the first DPD check").isGreaterThanOrEqualTo(9);
        // A quiet peer is probed by that jittered time, and again after the same jittered quiet time once answered.
        IkeSa first = hub.allSas().iterator().next();
        long due = first.dpd.dueAtMillis();
        hub.tick(due);
        assertThat(sends(hub.drain())).as("R-U-THERE to a quiet peer").isNotEmpty();
    }

    private static int busiestSecond(List<Long> times) {
        Map<Long, Integer> perSecond = new HashMap<>();
        for (long t : times) {
            perSecond.merge(t / 1000, 1, Integer::sum);
        }
        return perSecond.values().stream().max(Integer::compare).orElse(0);
    }

    private static List<Datagram> sends(List<IkeEffect> effects) {
        List<Datagram> out = new ArrayList<>();
        for (IkeEffect e : effects) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram());
            }
        }
        return out;
    }
}
