package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * As root inside a namespace, where {@code rmem_max} is the host's and cannot be raised: SO_RCVBUFFORCE still
 * gives the IKE socket its 8 MiB, and when even that overflows the kernel's drop count reaches us (SO_RXQ_OVFL).
 */
@Interop
class UdpIkeSocketInNamespaceTest {
    @Test
    @Timeout(60)
    void theBufferIsForcedAndKernelDropsAreReported() throws Exception {
        Prerequisites.require("ip");
        try (NetNs ns = NetNs.create("ikesock")) {
            ns.links().ip("link", "set", "lo", "up");
            int lo = Ipv4.parse("127.0.0.1");
            try (UdpIkeSocket hub = ns.call(() -> UdpIkeSocket.open(lo, 500, false));
                    UdpIkeSocket sender = ns.call(() -> UdpIkeSocket.open(lo, 4500, false));
                    PacketBatch batch = PacketBatch.withDropCount(32, 2048)) {
                assertThat(hub.forcedBuffer()).isTrue();
                assertThat(hub.receiveBufferBytes()).isGreaterThanOrEqualTo(UdpIkeSocket.RECEIVE_BUFFER_BYTES);
                // Nobody reads while 1 KiB datagrams arrive: about 8,000 fit (each costs ~2 KiB of buffer with the
                // kernel's overhead), so 20,000 overflow it. Bounded: 20,000 sends, a few hundred ms.
                byte[] datagram = new byte[1024];
                int sent = 0;
                for (int i = 0; i < 20_000; i++) {
                    if (sender.send(datagram, 0, datagram.length, lo, 500)) {
                        sent++;
                    }
                }
                assertThat(sent).isGreaterThan(10_000);
                long received = 0;
                long deadline = System.currentTimeMillis() + 20_000;
                int n;
                while ((n = hub.receive(batch, 200)) > 0 && System.currentTimeMillis() < deadline) {
                    received += n;
                }
                assertThat(received).isBetween(1_000L, (long) sent - 1);
                // The kernel stamps its drop count on each datagram as it queues it: the ones queued before the
                // overflow carry none, the next one after it carries the count.
                assertThat(sender.send(datagram, 0, datagram.length, lo, 500)).isTrue();
                assertThat(hub.receive(batch, 2_000)).isEqualTo(1);
                assertThat(batch.kernelDrops()).as("drops reported by SO_RXQ_OVFL").isEqualTo(sent - received);
            }
        }
    }

    /**
     * A steered pair on port 500: 20,000 forged first messages overflow socket 0's buffer while nobody reads, and a
     * datagram carrying a responder cookie, sent after them, is still there on socket 1, with no drop on it.
     */
    @Test
    @Timeout(60)
    void aFloodOfFirstMessagesOverflowsOnlyItsOwnSocket() throws Exception {
        floodOverflowsOnlyTheFirstMessagesSocket(500);
    }

    /** The same on port 4500, where IKE follows the non-ESP marker (four zero bytes). */
    @Test
    @Timeout(60)
    void onPort4500TooAFloodOfFirstMessagesOverflowsOnlyItsOwnSocket() throws Exception {
        floodOverflowsOnlyTheFirstMessagesSocket(4500);
    }

    private static void floodOverflowsOnlyTheFirstMessagesSocket(int port) throws Exception {
        Prerequisites.require("ip");
        int at = port == 4500 ? 4 : 0; // where the ISAKMP header starts
        try (NetNs ns = NetNs.create("ikesteer")) {
            ns.links().ip("link", "set", "lo", "up");
            int lo = Ipv4.parse("127.0.0.1");
            UdpIkeSocket.Steered pair = ns.call(() -> UdpIkeSocket.openSteered(lo, port));
            try (UdpIkeSocket first = pair.firstMessages();
                    UdpIkeSocket proven = pair.proven();
                    UdpIkeSocket sender = ns.call(() -> UdpIkeSocket.open(lo, 0, false));
                    PacketBatch batch = PacketBatch.withDropCount(32, 2048)) {
                byte[] mm1 = new byte[1024]; // zero responder cookie (and on 4500 the zero marker)
                mm1[at] = 7;
                int sent = 0;
                for (int i = 0; i < 20_000; i++) {
                    if (sender.send(mm1, 0, mm1.length, lo, port)) {
                        sent++;
                    }
                }
                assertThat(sent).isGreaterThan(10_000);
                byte[] mm3 = new byte[1024];
                mm3[at + 15] = 1;
                mm3[100] = 42;
                assertThat(sender.send(mm3, 0, mm3.length, lo, port)).isTrue();
                assertThat(proven.receive(batch, 2_000)).as("the proven datagram arrives").isEqualTo(1);
                byte[] got = new byte[batch.length(0)];
                batch.copyOut(0, 0, got, 0);
                assertThat(got[100]).isEqualTo((byte) 42);
                assertThat(batch.kernelDrops()).as("nothing dropped on the proven socket").isZero();
                long received = 0;
                long deadline = System.currentTimeMillis() + 20_000;
                int n;
                long lastDrops = 0;
                while ((n = first.receive(batch, 200)) > 0 && System.currentTimeMillis() < deadline) {
                    received += n;
                    lastDrops = batch.kernelDrops();
                }
                assertThat(received).as("the flood overflowed its own socket").isBetween(1_000L, (long) sent - 1);
                assertThat(sender.send(mm1, 0, mm1.length, lo, port)).isTrue();
                assertThat(first.receive(batch, 2_000)).isEqualTo(1);
                assertThat(batch.kernelDrops()).as("drops on the first-message socket").isEqualTo(sent - received);
                assertThat(lastDrops).isLessThanOrEqualTo(sent - received);
            }
        }
    }
}
