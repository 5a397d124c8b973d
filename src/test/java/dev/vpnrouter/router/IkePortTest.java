package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader thread queues what arrives, wakes the loop, and ends when the port closes (loopback, no root). */
class IkePortTest {
    @Test
    @Timeout(20)
    void queuesWhatArrivesWakesTheLoopAndStopsOnClose() throws Exception {
        int lo = Ipv4.parse("127.0.0.1");
        Semaphore wakes = new Semaphore(0);
        List<String> log = new ArrayList<>();
        try (DatagramChannel peer = DatagramChannel.open(java.net.StandardProtocolFamily.INET)) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            IkePort port = IkePort.open(lo, 0, false, wakes::release, log::add);
            // Our socket's port: it answers the peer, which sees where from.
            assertThat(port.socket().send(new byte[] {1}, 0, 1, lo, peerPort)).isTrue();
            ByteBuffer in = ByteBuffer.allocate(8);
            InetSocketAddress ours = (InetSocketAddress) peer.receive(in);
            byte[] qm = new byte[28];
            qm[18] = 32;
            byte[] info = new byte[28];
            info[18] = 5;
            peer.send(ByteBuffer.wrap(qm), ours);
            peer.send(ByteBuffer.wrap(info), ours);
            List<Integer> types = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 5_000;
            while (types.size() < 2 && System.currentTimeMillis() < deadline) {
                assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("the loop is woken").isTrue();
                port.intake().serve(d -> {
                    assertThat(d.fromAddress()).isEqualTo(lo);
                    assertThat(d.fromPort()).isEqualTo(peerPort);
                    types.add((int) d.data()[18]);
                }, 16);
            }
            assertThat(types).containsExactlyInAnyOrder(32, 5);
            assertThat(port.received()).isEqualTo(2);
            port.close();
            assertThat(port.socket().isOpen()).isFalse();
            assertThat(log).isEmpty();
        }
    }

    @Test
    @Timeout(20)
    void aSteeredPortReadsBothSocketsIntoOneIntakeProvenFirstAndClosesBoth() throws Exception {
        int lo = Ipv4.parse("127.0.0.1");
        Semaphore wakes = new Semaphore(0);
        List<String> log = new ArrayList<>();
        try (DatagramChannel peer = DatagramChannel.open(java.net.StandardProtocolFamily.INET)) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            IkePort port = IkePort.openSteered(lo, 0, wakes::release, log::add);
            assertThat(port.provenSocket().port()).isEqualTo(port.socket().port());
            InetSocketAddress ours = new InetSocketAddress("127.0.0.1", port.socket().port());
            byte[] mm1 = new byte[28];
            mm1[0] = 1;
            byte[] qm = new byte[28];
            qm[0] = 2;
            qm[15] = 1; // our responder cookie
            qm[18] = 32;
            peer.send(ByteBuffer.wrap(mm1), ours);
            peer.send(ByteBuffer.wrap(qm), ours);
            long deadline = System.currentTimeMillis() + 5_000;
            while (port.received() < 2 && System.currentTimeMillis() < deadline) {
                wakes.tryAcquire(100, TimeUnit.MILLISECONDS);
            }
            assertThat(port.received()).isEqualTo(2);
            List<Integer> order = new ArrayList<>();
            port.intake().serve(d -> order.add((int) d.data()[0]), 16);
            assertThat(order).as("the proven Quick Mode before the first message").containsExactly(2, 1);
            assertThat(port.kernelDrops()).isZero();
            port.close();
            assertThat(port.socket().isOpen()).isFalse();
            assertThat(port.provenSocket().isOpen()).isFalse();
            assertThat(log).isEmpty();
        }
    }

    /**
     * The per-source budget is keyed on a forgeable address: a peer we hold an established SA with skips it, so a
     * flood forged with its address cannot drop its own first messages (a renewal) in the reader.
     */
    @Test
    @Timeout(20)
    void aKnownPeersFirstMessagesSkipTheBudgetAndAnUnknownSourcesDoNot() throws Exception {
        int lo = Ipv4.parse("127.0.0.1");
        for (boolean known : new boolean[] {true, false}) {
            Semaphore wakes = new Semaphore(0);
            try (DatagramChannel peer = DatagramChannel.open(java.net.StandardProtocolFamily.INET)) {
                peer.bind(new InetSocketAddress("127.0.0.1", 0));
                IkePort port = IkePort.openSteered(lo, 0, wakes::release, m -> { }, a -> known && a == lo);
                InetSocketAddress ours = new InetSocketAddress("127.0.0.1", port.socket().port());
                int sent = 3 * FirstMessageAdmission.PER_SOURCE_BURST;
                for (int i = 0; i < sent; i++) {
                    byte[] mm1 = new byte[28];
                    mm1[0] = (byte) i;
                    peer.send(ByteBuffer.wrap(mm1), ours);
                }
                long deadline = System.currentTimeMillis() + 5_000;
                while (port.received() < sent && System.currentTimeMillis() < deadline) {
                    wakes.tryAcquire(100, TimeUnit.MILLISECONDS);
                }
                assertThat(port.received()).isEqualTo(sent);
                if (known) {
                    assertThat(port.admissionDrops()).as("a known peer: none dropped").isZero();
                } else {
                    assertThat(port.admissionDrops()).as("an unknown source past its burst").isPositive();
                }
                port.close();
            }
        }
    }
}
