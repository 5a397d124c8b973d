package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.Datagram;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.router.RouterRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's flood, scaled to the 2-core lab machine. Our hub runs the seed hub.cfg with a strongSwan spoke up.
 * From 1,000 addresses on the rogue namespace (198.18.4.0/22, real sources rather than spoofed ones: for the hub
 * the same, and the answers really come back), a sender floods MM1s with fresh initiator cookies at up to
 * {@link #TARGET_PER_SECOND} for {@link #FLOOD}. During it, a new vpnc (Aggressive Mode) and a new strongSwan spoke
 * (Main Mode, answered through {@code MainModeCookies} since the half-open table is full) connect; afterwards the
 * first spoke's tunnel is the same and passes traffic, the hub's heap is back where it was, and the hub sent at
 * most 3 bytes per byte the flood brought. The figures go to standard output (docs/robustness.md records them).
 */
@Interop
class HubFloodInteropTest {
    private static final int SOURCES = 1_000;
    private static final String FLOOD_NET = "198.18.4.0/22";
    private static final int TARGET_PER_SECOND = 100_000;
    private static final Duration FLOOD = Duration.ofSeconds(30);
    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(2);
    /** What the new peers' connects may take during the flood, process start included (vpnc's is ~1 s alone). */
    private static final Duration CONNECT_BOUND = Duration.ofSeconds(10);

    @Test
    @Timeout(150)
    void aMainModeFloodFromAThousandSourcesDropsNoTunnelAndLetsNewPeersIn() throws Exception {
        Prerequisites.require("ip", "ping", "charon", "swanctl", "nsenter", "vpnc");
        Path work = Topology.workDir("hub-flood-" + ProcessHandle.current().pid());
        try (Topology t = Topology.builder(work).spokeDhcp(false).client(Topology.ClientMode.DIRECT).rogue(true)
                .build()) {
            List<String> hubLog = new CopyOnWriteArrayList<>();
            RouterRuntime hub = EngineStrongSwanInteropTest.startOurHub(t,
                    EngineStrongSwanInteropTest.seed("hub.cfg"), hubLog);
            StrongSwan spoke = t.own(StrongSwan.start(t.spoke(), work.resolve("spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));
            spoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(30));
            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            List<Integer> tunnelsBefore = hub.query(e -> e.ikeSas().stream()
                    .filter(sa -> sa.established()).map(sa -> sa.connId()).toList());
            assertThat(tunnelsBefore).hasSize(1);

            addFloodSources(t);
            // The rogue namespace is also the new strongSwan spoke, claiming a network of its own.
            t.rogue().addAddress("lo", "10.66.0.1/16");
            StrongSwan newSpoke = t.own(StrongSwan.start(t.rogue(), work.resolve("new-spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE, "10.66.0.0/16")));

            long heapBefore = usedHeapAfterGc();
            long[] linkBefore = linkBytes(t.hub());
            long receivedBefore = hub.query(e -> e.counters().received);
            Flood flood = new Flood(t.rogue(), mm1Template());
            Thread sender = Thread.ofPlatform().name("flood").start(flood);
            Thread.sleep(3_000); // the half-open table fills (4,096) and the cookie path takes over

            long vpncStart = System.nanoTime();
            Vpnc vpnc = t.own(Vpnc.start(t.client(), work.resolve("vpnc"),
                    Vpnc.Config.seed(Topology.HUB_OUTSIDE).withNatMode(Vpnc.NatMode.NONE)));
            EngineStrongSwanInteropTest.awaitVpnc(vpnc, hubLog);
            Duration vpncTook = Duration.ofNanos(System.nanoTime() - vpncStart);

            long spokeStart = System.nanoTime();
            newSpoke.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(20));
            Duration spokeTook = Duration.ofNanos(System.nanoTime() - spokeStart);
            long redeemed = hub.query(e -> e.counters().mainModeCookiesRedeemed);
            t.client().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(5));
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(5));

            sender.join(FLOOD.toMillis() + 10_000);
            assertThat(sender.isAlive()).isFalse();
            long received = hub.query(e -> e.counters().received) - receivedBefore;
            long[] linkAfter = linkBytes(t.hub());
            long cookiesSent = hub.query(e -> e.counters().mainModeCookiesSent);
            int halfOpen = hub.query(IkeEngine::halfOpenCount);
            long errors = hub.query(e -> e.counters().internalErrors);
            long heapAfter = usedHeapAfterGc();
            List<Integer> tunnelsAfter = hub.query(e -> e.ikeSas().stream()
                    .filter(sa -> sa.established()).map(sa -> sa.connId()).toList());
            double linkRatio = (double) (linkAfter[1] - linkBefore[1]) / (linkAfter[0] - linkBefore[0]);

            System.out.printf("""
                    flood: %,d MM1 sent in %.1f s (%,.0f/s, target %,d/s) from %,d sources; %,d not sent (socket full)
                    hub: %,d datagrams received during the flood (%,.0f/s), %,d stateless MM2, %,d half-open SAs at the end
                    hub link out0: %,d bytes in, %,d bytes out: %.2f out per in
                    new vpnc connected in %d ms; new strongSwan spoke in %d ms (cookies redeemed: %d)
                    tunnels up before %s, after %s; hub heap after GC %,d -> %,d bytes
                    """, flood.sent, flood.seconds, flood.sent / flood.seconds, TARGET_PER_SECOND, SOURCES,
                    flood.refused, received, received / flood.seconds, cookiesSent, halfOpen,
                    linkAfter[0] - linkBefore[0], linkAfter[1] - linkBefore[1], linkRatio, vpncTook.toMillis(),
                    spokeTook.toMillis(), redeemed, tunnelsBefore, tunnelsAfter, heapBefore, heapAfter);

            assertThat(flood.sent).as("MM1s sent").isGreaterThan(100_000);
            assertThat(cookiesSent).as("stateless MM2s").isGreaterThan(10_000);
            assertThat(redeemed).as("the new spoke came through the cookie path").isEqualTo(1);
            assertThat(spokeTook).as("the new strongSwan spoke's connect").isLessThanOrEqualTo(CONNECT_WITHIN);
            assertThat(vpncTook).as("the new vpnc's connect, process start included")
                    .isLessThanOrEqualTo(CONNECT_BOUND);
            assertThat(tunnelsAfter).as("established tunnels").containsAll(tunnelsBefore).hasSize(3);
            assertThat(linkRatio).as("bytes out per byte in on the hub's outside link").isLessThanOrEqualTo(3.0);
            assertThat(heapAfter - heapBefore).as("hub heap growth").isLessThan(64L << 20);
            assertThat(errors).isZero();
            t.spokeHost().assertPing(Topology.HUB_HOST, 3, Duration.ofSeconds(5));
            t.client().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(5));
        }
    }

    /** 1,000 addresses on the rogue's loopback, routed to it by the internet namespace. */
    private static void addFloodSources(Topology t) throws IOException {
        Path batch = t.workDir().resolve("flood-addresses.batch");
        StringBuilder lines = new StringBuilder();
        int base = Ipv4.parse("198.18.4.0");
        for (int i = 0; i < SOURCES; i++) {
            lines.append("address add ").append(Ipv4.format(base + i)).append("/32 dev lo\n");
        }
        Files.writeString(batch, lines);
        mustRun(t.rogue(), "ip", "-batch", batch.toString());
        t.inet().addRoute(FLOOD_NET, Topology.ROGUE_OUTSIDE);
    }

    private static void mustRun(NetNs ns, String... command) throws IOException {
        var r = ns.exec(Duration.ofSeconds(30), command);
        assertThat(r.ok()).as("%s", r.describe()).isTrue();
    }

    /** The seed spoke's MM1 as our engine sends it: the flood's template (each copy gets a fresh cookie). */
    private static byte[] mm1Template() throws IOException {
        IkeEngine e = new IkeEngine(EngineStrongSwanInteropTest.policy(Files.readString(Path.of(
                "examples/seed/spoke.cfg"))), Ipv4.parse(Topology.ROGUE_OUTSIDE), new SecureRandom());
        e.connectAll(0);
        for (IkeEffect fx : e.drain()) {
            if (fx instanceof IkeEffect.Send(Datagram d)) {
                return d.data();
            }
        }
        throw new AssertionError("the seed spoke sent no MM1");
    }

    /** Used heap after a full collection (the hub runs in this JVM). */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static final Pattern RX = Pattern.compile("\"rx\":\\{\"bytes\":(\\d+)");
    private static final Pattern TX = Pattern.compile("\"tx\":\\{\"bytes\":(\\d+)");

    /** Bytes received and sent by the hub's outside interface. */
    private static long[] linkBytes(NetNs hub) throws IOException {
        String json = hub.run("ip", "-s", "-j", "link", "show", Topology.OUTSIDE_IF);
        Matcher rx = RX.matcher(json);
        Matcher tx = TX.matcher(json);
        assertThat(rx.find() && tx.find()).as("link statistics in %s", json).isTrue();
        return new long[]{Long.parseLong(rx.group(1)), Long.parseLong(tx.group(1))};
    }

    /**
     * The sender: one non-blocking UDP socket per source address, opened in the rogue namespace, MM1s round-robin
     * over them at up to {@link #TARGET_PER_SECOND}, for {@link #FLOOD} at most. The hub's answers are read and
     * dropped so the sockets' buffers do not fill.
     */
    private static final class Flood implements Runnable {
        private final List<DatagramChannel> channels;
        private final byte[] template;
        private final AtomicBoolean failed = new AtomicBoolean();
        volatile long sent;
        volatile long refused;
        volatile double seconds;

        Flood(NetNs rogue, byte[] template) throws IOException {
            this.template = template;
            this.channels = rogue.call(() -> {
                List<DatagramChannel> list = new ArrayList<>();
                int base = Ipv4.parse("198.18.4.0");
                for (int i = 0; i < SOURCES; i++) {
                    DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
                    c.bind(new InetSocketAddress(InetAddress.getByName(Ipv4.format(base + i)), 0));
                    c.configureBlocking(false);
                    list.add(c);
                }
                return list;
            });
        }

        @Override
        public void run() {
            InetSocketAddress hub = new InetSocketAddress(Topology.HUB_OUTSIDE, Datagram.IKE_PORT);
            ByteBuffer out = ByteBuffer.allocateDirect(template.length);
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            SplittableRandom random = new SplittableRandom();
            long start = System.nanoTime();
            long end = start + FLOOD.toNanos();
            long n = 0;
            long notSent = 0;
            try {
                for (long now = start; now < end; now = System.nanoTime()) {
                    long due = (now - start) * TARGET_PER_SECOND / 1_000_000_000L;
                    if (n >= due) {
                        Thread.onSpinWait();
                        continue;
                    }
                    DatagramChannel c = channels.get((int) (n % SOURCES));
                    out.clear();
                    out.put(template).putLong(0, random.nextLong()).flip();
                    if (c.send(out, hub) == 0) {
                        notSent++;
                    }
                    n++;
                    if ((n & 0x3ff) == 0) {
                        for (DatagramChannel r : channels.subList((int) ((n >>> 10) % 10) * 100,
                                (int) ((n >>> 10) % 10) * 100 + 100)) {
                            while (in.clear() != null && r.receive(in) != null) {
                                // answers read and dropped
                            }
                        }
                    }
                }
            } catch (IOException e) {
                failed.set(true);
                throw new java.io.UncheckedIOException(e);
            } finally {
                seconds = (System.nanoTime() - start) / 1e9;
                sent = n - notSent;
                refused = notSent;
                for (DatagramChannel c : channels) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // closing a UDP socket: nothing to report
                    }
                }
            }
        }
    }
}
