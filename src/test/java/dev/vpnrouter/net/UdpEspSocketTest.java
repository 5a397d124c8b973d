package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The data plane's ESP-in-UDP socket: port sharing with the IKE socket, steering, and UDP GSO/GRO on the wire. */
@Interop
class UdpEspSocketTest {
    private static final int A = Ipv4.parse("10.78.0.1");
    private static final int B = Ipv4.parse("10.78.0.2");

    private NetNs.Pair pair;

    @BeforeEach
    void setUp() throws Exception {
        pair = NetNs.Pair.linked("uesp-a", "10.78.0.1/24", "uesp-b", "10.78.0.2/24", "veth0");
    }

    @AfterEach
    void tearDown() {
        if (pair != null) {
            pair.close();
        }
    }

    private static byte[] esp(int spi, int sequence, int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        ByteBuffer.wrap(b).putInt(spi).putInt(sequence);
        return b;
    }

    /** Every datagram of a received batch, cut at the segment size. */
    private static List<byte[]> datagrams(PacketBatch in, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] message = new byte[in.length(i)];
            in.copyOut(i, 0, message, 0);
            for (int at = 0; at < message.length; at += in.segmentSize(i)) {
                out.add(Arrays.copyOfRange(message, at, Math.min(message.length, at + in.segmentSize(i))));
            }
        }
        return out;
    }

    @Test
    @Timeout(30)
    void firstMessagesAndKeepalivesReachSocket0IkeWithOurCookieSocket1AndEspTheDataPlanes() throws Exception {
        UdpIkeSocket.Steered ike = pair.right().call(() -> UdpIkeSocket.openSteered(B, 4500));
        try (UdpIkeSocket ikeFirst = ike.firstMessages();
                UdpIkeSocket ikeProven = ike.proven();
                UdpEspSocket esp = pair.right().call(() -> UdpEspSocket.open(B, 4500));
                DatagramChannel peer = pair.left().call(() -> UdpEndpoint.bind(A, 4500));
                PacketBatch in = PacketBatch.withUdpOffload(8);
                PacketBatch ikeIn = new PacketBatch(32, 2048)) {
            var to = UdpEndpoint.socketAddress(B, 4500);
            byte[] marked = new byte[40];
            marked[4] = 0x11; // marker, then an initiator cookie: a first message
            byte[] proven = marked.clone();
            proven[19] = 0x22; // and a responder cookie: a peer that heard from us
            byte[] keepalive = {(byte) 0xff};
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                peer.send(ByteBuffer.wrap(marked), to);
                peer.send(ByteBuffer.wrap(proven), to);
                peer.send(ByteBuffer.wrap(keepalive), to);
                byte[] p = esp(0x1000 + i, i + 1, 60 + i, i);
                sent.add(p);
                peer.send(ByteBuffer.wrap(p), to);
            }
            List<byte[]> got = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got.size() < sent.size() && System.nanoTime() < deadline) {
                int n = esp.receive(in, 500);
                for (int i = 0; i < n; i++) {
                    assertThat(in.address(i)).isEqualTo(A);
                    assertThat(in.port(i)).isEqualTo(4500);
                }
                got.addAll(datagrams(in, n));
            }
            assertThat(got).containsExactlyElementsOf(sent);
            assertThat(esp.receive(in, 100)).as("no IKE and no keepalive on the ESP socket").isZero();

            int ikeDatagrams = 0;
            int keepalives = 0;
            deadline = System.nanoTime() + 5_000_000_000L;
            while (ikeDatagrams + keepalives < 20 && System.nanoTime() < deadline) {
                int n = ikeFirst.receive(ikeIn, 200);
                for (int i = 0; i < n; i++) {
                    if (ikeIn.length(i) == 1) {
                        keepalives++;
                    } else {
                        assertThat(ikeIn.intAt(i, 0)).isZero();
                        assertThat(ikeIn.longAt(i, 12)).as("no responder cookie on socket 0").isZero();
                        ikeDatagrams++;
                    }
                }
            }
            assertThat(ikeDatagrams).isEqualTo(10);
            int provenDatagrams = 0;
            deadline = System.nanoTime() + 5_000_000_000L;
            while (provenDatagrams < 10 && System.nanoTime() < deadline) {
                int n = ikeProven.receive(ikeIn, 200);
                for (int i = 0; i < n; i++) {
                    assertThat(ikeIn.longAt(i, 12)).as("a responder cookie on socket 1").isEqualTo(0x22);
                }
                provenDatagrams += n;
            }
            assertThat(provenDatagrams).isEqualTo(10);
            assertThat(ikeFirst.receive(ikeIn, 100)).as("nothing more on socket 0").isZero();
            assertThat(keepalives).isEqualTo(10);
        }
    }

    @Test
    @Timeout(30)
    void aRunOfEqualDatagramsLeavesAsOneMessageAndArrivesCoalescedAndWhole() throws Exception {
        UdpIkeSocket.Steered ike = pair.right().call(() -> UdpIkeSocket.openSteered(B, 4500));
        UdpIkeSocket.Steered ikeA = pair.left().call(() -> UdpIkeSocket.openSteered(A, 4500));
        try (UdpIkeSocket ike0 = ike.firstMessages();
                UdpIkeSocket ike1 = ike.proven();
                UdpIkeSocket ikeA0 = ikeA.firstMessages();
                UdpIkeSocket ikeA1 = ikeA.proven();
                UdpEspSocket receiver = pair.right().call(() -> UdpEspSocket.open(B, 4500));
                UdpEspSocket sender = pair.left().call(() -> UdpEspSocket.open(A, 4500));
                PacketBatch out = PacketBatch.withUdpOffload(4);
                PacketBatch in = PacketBatch.withUdpOffload(8)) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                // Runs of 1,400-byte datagrams with a shorter one closing a run now and then.
                byte[] p = esp(0xabc, i + 1, i % 30 == 29 ? 500 : 1400, i);
                sent.add(p);
                if (!out.addSegment(p, 0, p.length, B, 4500)) {
                    assertThat(sender.send(out)).isZero();
                    assertThat(out.addSegment(p, 0, p.length, B, 4500)).isTrue();
                }
            }
            assertThat(out.segments(0)).as("first run: 29 full + 1 short").isEqualTo(30);
            assertThat(sender.send(out)).isZero();
            assertThat(sender.gso()).isTrue();

            List<byte[]> got = new ArrayList<>();
            int messages = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got.size() < sent.size() && System.nanoTime() < deadline) {
                int n = receiver.receive(in, 500);
                messages += n;
                got.addAll(datagrams(in, n));
            }
            assertThat(got).containsExactlyElementsOf(sent);
            if (receiver.gro()) {
                assertThat(messages).as("coalesced by the kernel").isLessThan(sent.size() / 4);
            }
        }
    }

    @Test
    @Timeout(30)
    void aPlainBatchSendsOneDatagramPerSlot() throws Exception {
        UdpIkeSocket.Steered ike = pair.right().call(() -> UdpIkeSocket.openSteered(B, 4500));
        try (UdpIkeSocket ike0 = ike.firstMessages();
                UdpIkeSocket ike1 = ike.proven();
                UdpEspSocket receiver = pair.right().call(() -> UdpEspSocket.open(B, 4500));
                UdpEspSocket sender = pair.left().call(() -> UdpEspSocket.open(A, 4500));
                PacketBatch out = new PacketBatch(8, 2048);
                PacketBatch in = new PacketBatch(8, 2048)) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] p = esp(0xdef, i + 1, 1000, i);
                sent.add(p);
                if (!out.addSegment(p, 0, p.length, B, 4500)) {
                    assertThat(out.size()).isEqualTo(8);
                    assertThat(sender.send(out)).isZero();
                    assertThat(out.addSegment(p, 0, p.length, B, 4500)).isTrue();
                }
            }
            assertThat(sender.send(out)).isZero();
            List<byte[]> got = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got.size() < sent.size() && System.nanoTime() < deadline) {
                got.addAll(datagrams(in, receiver.receive(in, 500)));
            }
            assertThat(got).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void runsJoinOnlySamePeerEqualOrShorterDatagramsWithinTheLimits() {
        try (PacketBatch b = PacketBatch.withUdpOffload(3)) {
            byte[] p = new byte[1400];
            assertThat(b.addSegment(p, 0, 1400, A, 4500)).isTrue();
            assertThat(b.addSegment(p, 0, 1400, A, 4500)).isTrue();
            assertThat(b.addSegment(p, 0, 900, A, 4500)).isTrue(); // shorter: joins and closes the run
            assertThat(b.addSegment(p, 0, 900, A, 4500)).isTrue(); // so this starts slot 1
            assertThat(b.size()).isEqualTo(2);
            assertThat(b.segments(0)).isEqualTo(3);
            assertThat(b.length(0)).isEqualTo(3700);
            assertThat(b.segmentSize(0)).isEqualTo(1400);
            assertThat(b.addSegment(p, 0, 1000, A, 4500)).isTrue(); // longer than the run's: slot 2
            assertThat(b.size()).isEqualTo(3);
            assertThat(b.addSegment(p, 0, 1000, B, 4500)).as("another peer, no slot left").isFalse();
            b.clear();
            for (int i = 0; i < PacketBatch.MAX_SEGMENTS; i++) {
                assertThat(b.addSegment(p, 0, 100, A, 4500)).isTrue();
            }
            assertThat(b.addSegment(p, 0, 100, A, 4500)).isTrue();
            assertThat(b.segments(0)).isEqualTo(PacketBatch.MAX_SEGMENTS);
            assertThat(b.segments(1)).isEqualTo(1);
            b.clear();
            int fit = PacketBatch.MAX_UDP_PAYLOAD / 1400;
            for (int i = 0; i < fit + 1; i++) {
                assertThat(b.addSegment(p, 0, 1400, A, 4500)).isTrue();
            }
            assertThat(b.segments(0)).as("64 KiB at most per message").isEqualTo(fit);
            assertThat(b.addSegment(p, 0, 1400, A, 4501)).as("another port").isTrue();
            assertThat(b.size()).isEqualTo(3);
        }
    }
}
