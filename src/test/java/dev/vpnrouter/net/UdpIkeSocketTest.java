package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our IKE socket on the loopback, with or without root: without CAP_NET_ADMIN it falls back to SO_RCVBUF and still
 * sends and receives (what {@code ./mvnw verify} as a plain user runs).
 */
class UdpIkeSocketTest {
    private static final int LOOPBACK = Ipv4.parse("127.0.0.1");

    @Test
    @Timeout(20)
    void receivesABatchWithOneCallAndSendsToWhereItCameFrom() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
                PacketBatch batch = PacketBatch.withDropCount(8, 2048)) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            try (UdpIkeSocket socket = UdpIkeSocket.open(LOOPBACK, 0, false)) {
                int granted = socket.receiveBufferBytes();
                if (socket.forcedBuffer()) {
                    assertThat(granted).isGreaterThanOrEqualTo(UdpIkeSocket.RECEIVE_BUFFER_BYTES);
                } else {
                    assertThat(granted).isPositive();
                }
                assertThat(socket.send("hello".getBytes(), 0, 5, LOOPBACK, peerPort)).isTrue();
                ByteBuffer in = ByteBuffer.allocate(64);
                InetSocketAddress ours = (InetSocketAddress) peer.receive(in);
                assertThat(new String(in.array(), 0, in.position())).isEqualTo("hello");
                for (int i = 0; i < 3; i++) {
                    peer.send(ByteBuffer.wrap(("dgram" + i).getBytes()), ours);
                }
                int got = 0;
                byte[] copy = new byte[64];
                long deadline = System.currentTimeMillis() + 5_000;
                StringBuilder seen = new StringBuilder();
                while (got < 3 && System.currentTimeMillis() < deadline) {
                    int n = socket.receive(batch, 1_000);
                    for (int i = 0; i < n; i++) {
                        assertThat(batch.address(i)).isEqualTo(LOOPBACK);
                        assertThat(batch.port(i)).isEqualTo(peerPort);
                        int len = batch.copyOut(i, 0, copy, 0);
                        seen.append(new String(copy, 0, len)).append(' ');
                    }
                    got += n;
                }
                assertThat(seen.toString()).isEqualTo("dgram0 dgram1 dgram2 ");
                assertThat(batch.kernelDrops()).isZero();
            }
        }
    }

    @Test
    @Timeout(20)
    void aTakenPortIsRefusedWithAMessageThatSaysSo() throws Exception {
        try (DatagramChannel taken = DatagramChannel.open(java.net.StandardProtocolFamily.INET)) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertThatThrownBy(() -> UdpIkeSocket.open(LOOPBACK, port, false))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("UDP 127.0.0.1:" + port + " is taken");
        }
    }

    /** An ISAKMP header (28 bytes) tagged in byte 0, with the responder cookie's last byte {@code cookie}. */
    private static byte[] header(int tag, int cookie) {
        byte[] d = new byte[28];
        d[0] = (byte) tag;
        d[15] = (byte) cookie;
        return d;
    }

    /** The tags (byte 0) of what {@code socket} holds now, in order. */
    private static String drain(UdpIkeSocket socket, PacketBatch batch) throws Exception {
        StringBuilder tags = new StringBuilder();
        int n;
        while ((n = socket.receive(batch, 300)) > 0) {
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[batch.length(i)];
                batch.copyOut(i, 0, b, 0);
                tags.append(b[0]).append(' ');
            }
        }
        return tags.toString();
    }

    @Test
    @Timeout(20)
    void aSteeredPairSendsZeroResponderCookiesToOneSocketAndTheRestToTheOther() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
                PacketBatch batch = PacketBatch.withDropCount(8, 2048)) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            UdpIkeSocket.Steered pair = UdpIkeSocket.openSteered(LOOPBACK, 0);
            try (UdpIkeSocket first = pair.firstMessages(); UdpIkeSocket proven = pair.proven()) {
                assertThat(proven.port()).isEqualTo(first.port()).isPositive();
                InetSocketAddress hub = new InetSocketAddress("127.0.0.1", first.port());
                peer.send(ByteBuffer.wrap(header(1, 0)), hub); // MM1: zero responder cookie
                peer.send(ByteBuffer.wrap(header(2, 7)), hub); // MM3: our cookie in its last byte
                byte[] firstHalf = header(3, 0);
                firstHalf[8] = 9; // a cookie non-zero only in its first half
                peer.send(ByteBuffer.wrap(firstHalf), hub);
                peer.send(ByteBuffer.wrap(new byte[] {4, 0, 0}), hub); // too short to hold a cookie
                assertThat(drain(first, batch)).isEqualTo("1 4 ");
                assertThat(drain(proven, batch)).isEqualTo("2 3 ");
            }
        }
    }

    @Test
    @Timeout(20)
    void aSteeredPairIsRefusedOnATakenPortAndKeepsASecondPairOut() throws Exception {
        UdpIkeSocket.Steered pair = UdpIkeSocket.openSteered(LOOPBACK, 0);
        try (UdpIkeSocket first = pair.firstMessages(); UdpIkeSocket proven = pair.proven()) {
            int port = first.port();
            assertThatThrownBy(() -> UdpIkeSocket.openSteered(LOOPBACK, port))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("UDP 127.0.0.1:" + port + " is taken");
            assertThatThrownBy(() -> UdpIkeSocket.open(LOOPBACK, port, false))
                    .isInstanceOf(BindException.class);
        }
    }

    @Test
    @Timeout(20)
    void aSendAfterCloseFailsAsAClosedChannel() throws Exception {
        UdpIkeSocket socket = UdpIkeSocket.open(LOOPBACK, 0, false);
        socket.close();
        assertThatThrownBy(() -> socket.send(new byte[1], 0, 1, LOOPBACK, 9))
                .isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }

    @Test
    @Timeout(20)
    void sendsABatchWithOneCallAndHandsOnARefusedDatagramWithoutStopping() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
                PacketBatch out = new PacketBatch(8, 256);
                UdpIkeSocket socket = UdpIkeSocket.open(LOOPBACK, 0, false)) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            out.add("one".getBytes(), 0, 3, LOOPBACK, peerPort);
            out.add("two".getBytes(), 0, 3, Ipv4.parse("255.255.255.255"), peerPort); // broadcast: EACCES
            out.add("three".getBytes(), 0, 5, LOOPBACK, peerPort);
            java.util.List<String> refused = new java.util.ArrayList<>();
            int sent = socket.send(out, (to, port, errno) -> refused.add(Ipv4.format(to) + ":" + port + " " + errno));
            assertThat(sent).isEqualTo(2);
            assertThat(refused).containsExactly("255.255.255.255:" + peerPort + " " + 13);
            assertThat(out.isEmpty()).isTrue();
            StringBuilder seen = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(64);
            for (int i = 0; i < 2; i++) {
                in.clear();
                peer.receive(in);
                seen.append(new String(in.array(), 0, in.position())).append(' ');
            }
            assertThat(seen.toString()).isEqualTo("one three ");
        }
    }
}
