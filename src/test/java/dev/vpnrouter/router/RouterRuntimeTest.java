package dev.vpnrouter.router;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ConfigPolicy;
import dev.vpnrouter.interop.Await;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.net.UdpEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RouterRuntime} on real sockets in two namespaces joined by a veth (root): our hub (hub.cfg) and spoke
 * (spoke.cfg) negotiate through the kernel and a stop sends Deletes the hub honours; a second instance is refused;
 * port 4500 keeps IKE, keepalives and ESP apart; a send that fails does not stop the loop.
 */
@Interop
class RouterRuntimeTest {
    private static final String HUB = "203.0.113.2";
    private static final String SPOKE = "203.0.113.77";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static NetNs.Pair link;
    private static NetNs hubNs;
    private static NetNs spokeNs;

    @BeforeAll
    static void link() throws IOException {
        link = NetNs.Pair.linked("run-rt-hub", HUB + "/24", "run-rt-spoke", SPOKE + "/24", "out0");
        hubNs = link.left();
        spokeNs = link.right();
    }

    @AfterAll
    static void cleanUp() {
        if (link != null) {
            link.close();
        }
    }

    private static ConfigPolicy seed(String name, String hubAddress) throws IOException {
        String text = Files.readString(Path.of("examples/seed", name)).replace("10.48.67.181 255.255.255.224",
                HUB + " 255.255.255.0").replace("10.48.67.181", hubAddress);
        return new ConfigPolicy(ConfigLoader.load(text).config());
    }

    private static RouterRuntime start(NetNs ns, ConfigPolicy policy, String address, List<String> log)
            throws IOException {
        return ns.call(() -> RouterRuntime.start(Ipv4.parse(address), a -> new IkeEngine(policy, a,
                new SecureRandom()), null, log::add));
    }

    @Test
    @Timeout(60)
    void ourHubAndSpokeNegotiateOverTheKernelAndAStopSendsDeletes() throws Exception {
        List<String> hubLog = new CopyOnWriteArrayList<>();
        List<String> spokeLog = new CopyOnWriteArrayList<>();
        List<String> hubEvents = new CopyOnWriteArrayList<>();
        try (RouterRuntime hub = start(hubNs, seed("hub.cfg", HUB), HUB, hubLog)) {
            hub.addChildSaListener(new RouterRuntime.ChildSaListener() {
                @Override
                public void installed(ChildSa child) {
                    hubEvents.add("installed " + child.local().ios() + " " + child.remote().ios());
                }

                @Override
                public void deleted(ChildSa child, String reason) {
                    hubEvents.add("deleted " + child.local().ios() + " (" + reason + ")");
                }
            });
            assertThat(hub.summary()).isEqualTo("vpnrouter: Hub listening for IKE on 203.0.113.2 udp/500 and "
                    + "udp/4500 (NAT-T), 16384 KiB receive buffer"); // SO_RCVBUFFORCE as root: 8 MiB, doubled
            RouterRuntime spoke = start(spokeNs, seed("spoke.cfg", HUB), SPOKE, spokeLog);
            spoke.submit(e -> e.connectAll(System.currentTimeMillis()));
            ChildSa s = Await.until("the spoke's IPsec SA", WAIT, () -> spoke.query(e -> e.childSas()),
                    l -> !l.isEmpty()).getFirst();
            ChildSa h = Await.until("the hub's IPsec SA", WAIT, () -> hub.query(e -> e.childSas()),
                    l -> !l.isEmpty()).getFirst();
            assertThat(s.udpEncapsulated()).as("no NAT between them: raw ESP").isFalse();
            assertThat(h.inboundSpi()).isEqualTo(s.outboundSpi());
            assertThat(h.outboundSpi()).isEqualTo(s.inboundSpi());
            assertThat(hubEvents).containsExactly("installed 10.1.0.0/255.255.0.0/0/0 10.2.0.0/255.255.0.0/0/0");

            assertThat(spoke.shutdown()).as("ISAKMP SAs the stop deleted").isEqualTo(1);
            assertThat(spoke.isRunning()).isFalse();
            assertThat(spoke.failure()).isNull();
            assertThat(spoke.shutdown()).as("a second stop does nothing").isZero();

            // The spoke's Deletes reach the hub: its table empties without waiting for any timer.
            Await.until("the hub to forget the spoke", Duration.ofSeconds(5),
                    () -> hub.query(e -> e.ikeSaCount() + e.childSas().size()), n -> n == 0);
            assertThat(hubEvents).hasSize(2);
            assertThat(hubEvents.get(1)).isEqualTo("deleted 10.1.0.0/255.255.0.0/0/0 (peer deleted it)");
            assertThat(hub.sendFailures()).isZero();
            assertThat(spoke.sendFailures()).isZero();
            long internalErrors = hub.query(e -> e.counters().internalErrors);
            assertThat(internalErrors).isZero();
        }
    }

    @Test
    @Timeout(60)
    void aSecondInstanceOnTheSamePortsIsRefusedAndThePortsAreFreeAfterAStop() throws Exception {
        ConfigPolicy policy = seed("hub.cfg", HUB);
        List<String> log = new CopyOnWriteArrayList<>();
        RouterRuntime first = start(hubNs, policy, HUB, log);
        try {
            assertThatThrownBy(() -> start(hubNs, policy, HUB, log)).isInstanceOf(BindException.class)
                    .hasMessageStartingWith("UDP 203.0.113.2:500 is taken (is another vpnrouter or an IKE daemon "
                            + "running here?) or not a local address");
            assertThat(first.isRunning()).as("the refused start left the first one alone").isTrue();
            assertThatThrownBy(() -> start(hubNs, policy, SPOKE, log)).isInstanceOf(BindException.class)
                    .as("an address that is not ours").hasMessageContaining("203.0.113.77:500");
        } finally {
            first.shutdown();
        }
        try (RouterRuntime again = start(hubNs, policy, HUB, log)) {
            assertThat(again.isRunning()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void port4500CarriesIkeKeepalivesAndEspApart() throws Exception {
        List<String> esp = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        try (RouterRuntime hub = start(hubNs, seed("hub.cfg", HUB), HUB, log);
             DatagramChannel peer = spokeNs.call(() -> UdpEndpoint.bind(Ipv4.parse(SPOKE), 4500))) {
            hub.onEspInUdp((buf, off, len, from, port) -> esp.add(Ipv4.format(from) + ":" + port + " "
                    + Hex.of(java.util.Arrays.copyOfRange(buf, off, off + len))));
            InetSocketAddress hub4500 = UdpEndpoint.socketAddress(Ipv4.parse(HUB), 4500);
            peer.send(ByteBuffer.wrap(new byte[] {(byte) 0xff}), hub4500);
            peer.send(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 0, 0, 0, 7, 1, 2, 3, 4}), hub4500);
            // Marker, then a truncated ISAKMP header: the engine must see it (and drop it as malformed).
            peer.send(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2, 3}), hub4500);

            Await.until("the ESP datagram", Duration.ofSeconds(5), () -> List.copyOf(esp), l -> !l.isEmpty());
            assertThat(esp).containsExactly("203.0.113.77:4500 000001000000000701020304");
            Await.until("the malformed IKE datagram", Duration.ofSeconds(5),
                    () -> hub.query(e -> e.counters().malformed), n -> n == 1);
            assertThat(hub.datagramsReceived()).isEqualTo(3);

            // The data plane's way out: ESP-in-UDP from our 4500, without a marker.
            hub.query(e -> {
                try {
                    hub.sendEspInUdp(new byte[] {0, 0, 2, 0, 0, 0, 0, 1, 9}, Ipv4.parse(SPOKE), 4500);
                    return true;
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            ByteBuffer in = ByteBuffer.allocate(64);
            InetSocketAddress from = (InetSocketAddress) peer.receive(in);
            assertThat(from).isEqualTo(hub4500);
            assertThat(Hex.of(Arrays.copyOf(in.array(), in.position()))).isEqualTo("000002000000000109");
        }
    }

    @Test
    @Timeout(60)
    void aSendThatFailsIsCountedAndTheLoopGoesOn() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        // The hub is 192.0.2.1, to which the spoke's namespace has no route: every send fails.
        try (RouterRuntime spoke = start(spokeNs, seed("spoke.cfg", "192.0.2.1"), SPOKE, log)) {
            spoke.submit(e -> e.connectAll(System.currentTimeMillis()));
            Await.until("a failed send", Duration.ofSeconds(10), spoke::sendFailures, n -> n >= 1);
            // The counter moves before the log line is written: wait for the line too.
            Await.until("the failed send's log line", Duration.ofSeconds(10), () -> List.copyOf(log),
                    l -> l.stream().anyMatch(x -> x.startsWith("vpnrouter: sending to 192.0.2.1:500 failed: ")));
            assertThat(spoke.isRunning()).isTrue();
            int sas = spoke.query(e -> e.ikeSaCount());
            assertThat(sas).as("the negotiation waits for its retransmissions").isEqualTo(1);
        }
    }
}
