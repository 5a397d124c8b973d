package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's flood: the seed hub (hub.cfg) receives 50,000 Main Mode first messages from 5,000 sources over ten
 * seconds of virtual time while 100 seed spokes (spoke.cfg, each with its own LAN) connect. Every spoke comes up,
 * the half-open table never passes its cap, the flood's state times out, and the hub's heap stays bounded. The
 * figures it prints are recorded in docs/robustness.md.
 */
class HubUnderFloodTest {
    static final int HUB = Ipv4.parse("10.48.67.181");
    static final int FLOOD_MESSAGES = 50_000;
    static final int FLOOD_SOURCES = 5_000;
    static final int SPOKES = 100;
    static final long FLOOD_MILLIS = 10_000;

    @Test
    void hundredSpokesComeUpDuringAFiftyThousandMessageFlood() throws IOException {
        long wallStart = System.nanoTime();
        String hubText = Files.readString(Path.of("examples/seed/hub.cfg"));
        String spokeText = Files.readString(Path.of("examples/seed/spoke.cfg"));
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 8, new FaultModel(0, 0, 0, 5));
        SimRouter hub = new SimRouter("Hub", net, HUB, new ConfigPolicy(ConfigLoader.load(hubText).config()), 1);
        long heapBefore = usedHeapAfterGc();

        // The flood: a real spoke's MM1 with a fresh initiator cookie each time, from 5,000 addresses nobody owns.
        byte[] mm1 = firstMessage(spokeText);
        SplittableRandom random = new SplittableRandom(9);
        // The legitimate spokes, one every 100 ms through the flood.
        List<SimRouter> spokes = new ArrayList<>();
        for (int i = 0; i < SPOKES; i++) {
            String lan = Ipv4.format(Ipv4.parse("10.128.0.0") + (i << 8));
            String text = spokeText.replace("access-list 100 permit ip 10.2.0.0 0.0.255.255",
                    "access-list 100 permit ip " + lan + " 0.0.0.255");
            SimRouter spoke = new SimRouter("Spoke" + (i + 1), net, Ipv4.parse("198.51.100.1") + i,
                    new ConfigPolicy(ConfigLoader.load(text).config()), 100 + i);
            spokes.add(spoke);
            clock.at(i * (FLOOD_MILLIS / SPOKES), () -> spoke.run(e -> e.connectAll(clock.now())));
        }

        int peakHalfOpen = 0;
        long peakHeap = 0;
        int sent = 0;
        for (long t = 250; t <= FLOOD_MILLIS + 5_000; t += 250) {
            // This step's share of the flood, scheduled as it goes (so the heap measures the hub, not the queue).
            for (; sent < FLOOD_MESSAGES && sent * FLOOD_MILLIS / FLOOD_MESSAGES < t; sent++) {
                byte[] m = mm1.clone();
                for (int k = 0; k < 8; k++) {
                    m[k] = (byte) random.nextInt(256);
                }
                int source = Ipv4.parse("100.64.0.0") + (sent % FLOOD_SOURCES);
                clock.at(sent * FLOOD_MILLIS / FLOOD_MESSAGES, () -> net.send(SimPacket.udp(source, 500, HUB, 500,
                        m)));
            }
            clock.runUntil(t);
            peakHalfOpen = Math.max(peakHalfOpen, hub.engine().halfOpenCount());
            assertThat(hub.engine().halfOpenCount()).isLessThanOrEqualTo(IkeEngine.HALF_OPEN_TOTAL);
            if (t % 2_500 == 0) {
                peakHeap = Math.max(peakHeap, usedHeapAfterGc());
            }
        }
        int up = (int) spokes.stream().filter(s -> !s.children().isEmpty()).count();
        long dropped = hub.engine().counters().halfOpenDropped;
        // The flood's half-open SAs time out; the spokes' SAs stay.
        clock.runUntil(FLOOD_MILLIS + 120_000);
        int halfOpenAfter = hub.engine().halfOpenCount();
        long heapAfter = usedHeapAfterGc();
        System.out.printf("flood: %d MM1 from %d sources over %d s, %d spokes: %d up; half-open peak %d (cap %d), "
                        + "dropped by the caps %d, after the timeout %d; hub ISAKMP SAs %d; heap +%.1f MiB at the "
                        + "peak, +%.1f MiB after; wall %.1f s%n", FLOOD_MESSAGES, FLOOD_SOURCES, FLOOD_MILLIS / 1000,
                SPOKES, up, peakHalfOpen, IkeEngine.HALF_OPEN_TOTAL, dropped, halfOpenAfter,
                hub.engine().ikeSaCount(), (peakHeap - heapBefore) / 1048576.0, (heapAfter - heapBefore) / 1048576.0,
                (System.nanoTime() - wallStart) / 1e9);

        assertThat(up).as("spokes up during the flood").isEqualTo(SPOKES);
        assertThat(hub.children()).hasSizeGreaterThanOrEqualTo(SPOKES);
        assertThat(dropped).as("the caps worked").isPositive();
        assertThat(halfOpenAfter).isZero();
        assertThat(hub.engine().ikeSaCount()).isEqualTo(SPOKES);
        assertThat(hub.engine().counters().internalErrors).isZero();
        // Bounded: the flood's state is capped at 4,096 half-open SAs, not proportional to 50,000 messages; past
        // the cap MM1s go to MainModeCookies' fixed arena (4 MiB, and 0.7 MiB of entries).
        assertThat(sent).isEqualTo(FLOOD_MESSAGES);
        assertThat(hub.engine().counters().mainModeCookiesSent).isPositive();
        assertThat(peakHeap - heapBefore).isLessThan(21L << 20);
    }

    private static byte[] firstMessage(String spokeText) {
        SimScheduler clock = new SimScheduler(0);
        SimNetwork net = new SimNetwork(clock, 1, FaultModel.PERFECT);
        SimRouter spoke = new SimRouter("probe", net, Ipv4.parse("192.0.2.99"),
                new ConfigPolicy(ConfigLoader.load(spokeText).config()), 3);
        byte[][] first = new byte[1][];
        spoke.onEffect(e -> {
            if (e instanceof IkeEffect.Send s && first[0] == null) {
                first[0] = s.datagram().data();
            }
        });
        spoke.run(e -> e.connectAll(0));
        assertThat(first[0]).as("the spoke's MM1").isNotNull();
        return first[0];
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
