package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.interop.Await;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.interop.Prerequisites;
import dev.vpnrouter.interop.RouterLog;
import dev.vpnrouter.interop.SeedEnginePolicy;
import dev.vpnrouter.net.UdpEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RouterRuntime} on real sockets in network namespaces (root): two of our routers negotiate through the
 * kernel, a stop sends Deletes, a second instance is refused, and port 4500 demultiplexes IKE, keepalives and
 * ESP.
 */
class RouterRuntimeTest {
    private static final int HUB = Ipv4.parse("203.0.113.2");
    private static final int SPOKE = Ipv4.parse("203.0.113.77");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path work(String name) throws Exception {
        Path dir = Path.of("target", "interop", "runtime-" + name + "-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    /** Two namespaces on one link: hub 203.0.113.2, spoke 203.0.113.77. */
    private static NetNs[] link() throws Exception {
        Prerequisites.require("ip");
        NetNs hub = NetNs.create("rt-hub");
        NetNs spoke;
        try {
            spoke = NetNs.create("rt-spoke");
            hub.veth("out0", spoke, "out0");
            hub.addAddress("out0", "203.0.113.2/24");
            spoke.addAddress("out0", "203.0.113.77/24");
        } catch (Exception | Error e) {
            hub.close();
            throw e;
        }
        return new NetNs[] {hub, spoke};
    }

    @Test
    @Timeout(90)
    void ourHubAndSpokeNegotiateOverTheKernelAndAStopSendsDeletes() throws Exception {
        Path dir = work("pair");
        NetNs[] ns = link();
        RouterLog hubLog = new RouterLog(dir.resolve("hub.log"));
        RouterLog spokeLog = new RouterLog(dir.resolve("spoke.log"));
        Path keys = dir.resolve("hub-keys");
        Files.deleteIfExists(keys);
        List<String> hubEvents = new CopyOnWriteArrayList<>();
        try (NetNs hubNs = ns[0]; NetNs spokeNs = ns[1];
                RouterRuntime hub = hubNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), HUB)
                        .engineDebug(true).debugSink(hubLog).keyLog(keys)
                        .ikeSaListener(new IkeSaListener() {
                            @Override
                            public void up(IkeSaSnapshot sa) {
                                hubEvents.add("up " + Ipv4.format(sa.peerAddress()) + " " + sa.iosState());
                            }

                            @Override
                            public void down(IkeSaSnapshot sa, String reason) {
                                hubEvents.add("down " + Ipv4.format(sa.peerAddress()) + " (" + reason + ")");
                            }
                        })
                        .childSaListener(new ChildSaListener() {
                            @Override
                            public void installed(ChildSa child) {
                                hubEvents.add("installed " + child.local() + " " + child.remote());
                            }

                            @Override
                            public void deleted(ChildSa child, String reason) {
                                hubEvents.add("deleted " + child.local() + " (" + reason + ")");
                            }
                        }).start())) {
            assertThat(hub.summary()).isEqualTo("vpnrouter Hub: IKE listening on 203.0.113.2 udp/500 and udp/4500 "
                    + "(NAT-T); 1 isakmp policy, crypto map entries: 0 static, 2 dynamic; key log " + keys);
            assertThat(hubLog.lines()).contains("runtime: " + hub.summary());

            RouterRuntime spoke = spokeNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.spoke(HUB), SPOKE)
                    .engineDebug(true).debugSink(spokeLog).connectAtStart(true).start());
            try {
                List<ChildSa> spokeChildren = Await.until("the spoke's IPsec SA", WAIT, spoke::childSas,
                        l -> !l.isEmpty());
                assertThat(spokeChildren).hasSize(1);
                ChildSa s = spokeChildren.getFirst();
                assertThat(s.local().ios()).isEqualTo("10.2.0.0/255.255.0.0/0/0");
                assertThat(s.remote().ios()).isEqualTo("10.1.0.0/255.255.0.0/0/0");
                assertThat(s.udpEncapsulated()).as("no NAT between them: plain ESP").isFalse();

                List<ChildSa> hubChildren = Await.until("the hub's IPsec SA", WAIT, hub::childSas, l -> !l.isEmpty());
                ChildSa h = hubChildren.getFirst();
                assertThat(h.local()).isEqualTo(s.remote());
                assertThat(h.remote()).isEqualTo(s.local());
                assertThat(h.inboundSpi()).isEqualTo(s.outboundSpi());
                assertThat(h.outboundSpi()).isEqualTo(s.inboundSpi());
                assertThat(h.inboundKeys()).isEqualTo(s.outboundKeys());
                assertThat(hubEvents).containsExactly("up 203.0.113.77 QM_IDLE",
                        "installed 10.1.0.0/255.255.0.0/0/0 10.2.0.0/255.255.0.0/0/0");

                List<IkeSaSnapshot> hubSas = hub.ikeSas();
                assertThat(hubSas).singleElement().satisfies(sa -> {
                    assertThat(sa.peerAddress()).isEqualTo(SPOKE);
                    assertThat(sa.iosState()).isEqualTo("QM_IDLE");
                    assertThat(sa.profile()).isEqualTo("L2L");
                    assertThat(sa.peerPort()).isEqualTo(500);
                });
                assertThat(Files.readAllLines(keys)).singleElement().asString()
                        .matches("[0-9a-f]{16},[0-9a-f]{48}");
                assertThat(hubLog.matching("New State = IKE_P1_COMPLETE")).as("engine debug reaches the sink")
                        .isNotEmpty();
            } finally {
                assertThat(spoke.stop(Duration.ofSeconds(5))).as("the spoke stops in time").isTrue();
            }
            assertThat(spoke.isRunning()).isFalse();
            assertThat(spoke.failure()).isNull();
            assertThat(spokeLog.lines()).contains("runtime: vpnrouter Spoke: stopped");

            // The spoke's Deletes reach the hub: its table empties without waiting for any timer.
            Await.until("the hub to forget the spoke", Duration.ofSeconds(5),
                    () -> hub.ikeSas().size() + hub.childSas().size(), n -> n == 0);
            assertThat(hubEvents).hasSize(4);
            assertThat(hubEvents.get(2)).startsWith("deleted 10.1.0.0/255.255.0.0/0/0");
            assertThat(hubEvents.get(3)).isEqualTo("down 203.0.113.77 (peer deleted the ISAKMP SA)");
            assertThat(hub.stats().sendFailures()).isZero();
            long internalErrors = hub.call(e -> e.counters().internalErrors);
            assertThat(internalErrors).isZero();
        }
    }

    @Test
    @Timeout(60)
    void aSecondInstanceOnTheSamePortsIsRefusedWithAClearMessage() throws Exception {
        NetNs[] ns = link();
        try (NetNs hubNs = ns[0]; NetNs spokeNs = ns[1];
                RouterRuntime first = hubNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), HUB)
                        .debugSink(DebugSink.none()).start())) {
            assertThatThrownBy(() -> hubNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), HUB)
                    .debugSink(DebugSink.none()).start()))
                    .isInstanceOf(BindException.class)
                    .hasMessageStartingWith("vpnrouter cannot listen on 203.0.113.2: UDP 203.0.113.2:500 is taken "
                            + "(is another vpnrouter or an IKE daemon running here?)");
            // The refused start left the first one alone.
            assertThat(first.isRunning()).isTrue();
            assertThat(first.ikeSas()).isEmpty();

            // An address that is not ours is refused the same way, naming it.
            assertThatThrownBy(() -> hubNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), SPOKE)
                    .debugSink(DebugSink.none()).start()))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("203.0.113.77:500");

            assertThat(first.stop(Duration.ofSeconds(5))).isTrue();
            assertThat(first.isRunning()).isFalse();
            // Its ports are free again.
            try (RouterRuntime again = hubNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), HUB)
                    .debugSink(DebugSink.none()).start())) {
                assertThat(again.isRunning()).isTrue();
            }
        }
    }

    @Test
    @Timeout(60)
    void port4500CarriesIkeKeepalivesAndEspApart() throws Exception {
        NetNs[] ns = link();
        List<String> esp = new CopyOnWriteArrayList<>();
        try (NetNs hubNs = ns[0]; NetNs spokeNs = ns[1];
                RouterRuntime hub = hubNs.call(() -> RouterRuntime.builder(SeedEnginePolicy.hub(), HUB)
                        .debugSink(DebugSink.none())
                        .espInUdpReceiver((src, port, data) -> esp.add(Ipv4.format(src) + ":" + port + " "
                                + dev.vpnrouter.common.Hex.of(data)))
                        .start());
                DatagramChannel peer = spokeNs.call(() -> UdpEndpoint.bind(SPOKE, 4500))) {
            InetSocketAddress hub4500 = UdpEndpoint.socketAddress(HUB, 4500);
            peer.send(ByteBuffer.wrap(new byte[] {(byte) 0xff}), hub4500);
            peer.send(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 0, 0, 0, 7, 1, 2, 3, 4}), hub4500);
            // Marker, then a truncated ISAKMP header: the engine must see it (and drop it as malformed).
            peer.send(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2, 3}), hub4500);

            Await.until("the ESP datagram", Duration.ofSeconds(5), () -> List.copyOf(esp), l -> !l.isEmpty());
            assertThat(esp).containsExactly("203.0.113.77:4500 000001000000000701020304");
            Await.until("the malformed IKE datagram", Duration.ofSeconds(5),
                    () -> hub.call(e -> e.counters().malformed), n -> n == 1);
            RouterRuntime.Stats stats = hub.stats();
            assertThat(stats.natKeepalives()).isEqualTo(1);
            assertThat(stats.espIn()).isEqualTo(1);
            assertThat(stats.datagramsIn()).isEqualTo(3);

            // The data plane's way out: ESP-in-UDP from our 4500, without a marker.
            assertThat(hub.sendEspInUdp(SPOKE, 4500, ByteBuffer.wrap(new byte[] {0, 0, 2, 0, 0, 0, 0, 1, 9})))
                    .isTrue();
            ByteBuffer in = ByteBuffer.allocate(64);
            peer.configureBlocking(true);
            InetSocketAddress from = (InetSocketAddress) peer.receive(in);
            assertThat(from).isEqualTo(hub4500);
            assertThat(dev.vpnrouter.common.Hex.of(java.util.Arrays.copyOf(in.array(), in.position())))
                    .isEqualTo("000002000000000109");
        }
    }

    @Test
    void keyLogLinesAreWiresharksUatFormat() {
        assertThat(KeyLogWriter.line(0x0123456789abcdefL, new byte[] {1, (byte) 0xab}))
                .isEqualTo("0123456789abcdef,01ab");
        assertThat(KeyLogWriter.line(-1L, new byte[] {0})).isEqualTo("ffffffffffffffff,00");
    }
}
