package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Raw IP-protocol-50 sockets in two namespaces joined by a veth pair. */
@Interop
class RawEspSocketTest {
    private static final int A = Ipv4.parse("10.77.0.1");
    private static final int B = Ipv4.parse("10.77.0.2");

    private NetNs.Pair pair;
    private NetNs left;
    private NetNs right;

    @BeforeEach
    void setUp() throws Exception {
        pair = NetNs.Pair.linked("esp-a", "10.77.0.1/24", "esp-b", "10.77.0.2/24", "veth0");
        left = pair.left();
        right = pair.right();
    }

    @AfterEach
    void tearDown() {
        if (pair != null) {
            pair.close();
        }
    }

    private static byte[] esp(int spi, int sequence, int payloadLength, long seed) {
        byte[] payload = new byte[payloadLength];
        new Random(seed).nextBytes(payload);
        return ByteBuffer.allocate(8 + payloadLength).putInt(spi).putInt(sequence).put(payload).array();
    }

    @Test
    @Timeout(30)
    void aBatchOfPacketsGoesOutWithOneSendmmsgAndArrivesWithRecvmmsgInOrder() throws Exception {
        try (RawEspSocket a = left.call(() -> RawEspSocket.open(A));
                RawEspSocket b = right.call(() -> RawEspSocket.open(B));
                PacketBatch out = new PacketBatch(8, 2048);
                PacketBatch in = new PacketBatch(16, 2048)) {
            byte[][] sent = new byte[20][];
            int received = 0;
            for (int i = 0; i < sent.length; i++) {
                sent[i] = esp(0x1234abcd, i + 1, 100 + i * 50, i);
                out.add(sent[i], 0, sent[i].length, B, 0);
                if (out.isFull() || i == sent.length - 1) {
                    assertThat(a.send(out)).as("refused").isZero();
                    assertThat(out.isEmpty()).isTrue();
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received < sent.length && System.nanoTime() < deadline) {
                int n = b.receive(in, 1000);
                assertThat(n).isLessThanOrEqualTo(in.slots());
                for (int i = 0; i < n; i++) {
                    int at = RawEspSocket.espOffset(in.data(i), in.length(i));
                    assertThat(at).isEqualTo(20);
                    assertThat(in.address(i)).isEqualTo(A);
                    byte[] esp = new byte[in.length(i) - at];
                    assertThat(in.copyOut(i, at, esp, 0)).isEqualTo(esp.length);
                    assertThat(esp).isEqualTo(sent[received++]);
                }
            }
            assertThat(received).isEqualTo(sent.length);
            assertThat(b.receive(in, 100)).as("nothing more").isZero();
            assertThatThrownBy(() -> out.add(new byte[3000], 0, 3000, B, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @Timeout(30)
    void espTravelsBothWaysWithItsSourceAddress() throws Exception {
        try (RawEspSocket a = left.call(() -> RawEspSocket.open(A));
                RawEspSocket b = right.call(() -> RawEspSocket.open(B))) {
            byte[] toB = esp(0x1234abcd, 1, 1400, 1);
            a.send(B, toB);
            RawEspSocket.EspPacket atB = b.receive(5000);
            assertThat(atB).isNotNull();
            assertThat(Ipv4.format(atB.source())).isEqualTo("10.77.0.1");
            assertThat(Ipv4.format(atB.destination())).isEqualTo("10.77.0.2");
            assertThat(atB.esp()).isEqualTo(toB);

            byte[] toA = esp(0x0badf00d, 7, 64, 2);
            b.send(A, toA);
            RawEspSocket.EspPacket atA = a.receive(5000);
            assertThat(atA).isNotNull();
            assertThat(atA.source()).isEqualTo(B);
            assertThat(atA.esp()).isEqualTo(toA);

            // Nothing else is queued: the next receive times out.
            assertThat(a.receive(200)).isNull();
        }
    }

    @Test
    @Timeout(30)
    void unboundSocketSeesEveryEspPacketOfItsNamespace() throws Exception {
        try (RawEspSocket a = left.call(() -> RawEspSocket.open(A));
                RawEspSocket any = right.call(RawEspSocket::open)) {
            for (int i = 1; i <= 20; i++) {
                a.send(B, esp(0x100, i, 100 + i, i));
            }
            for (int i = 1; i <= 20; i++) {
                RawEspSocket.EspPacket p = any.receive(5000);
                assertThat(p).as("packet %d", i).isNotNull();
                assertThat(p.source()).isEqualTo(A);
                assertThat(ByteBuffer.wrap(p.esp()).getInt(4)).isEqualTo(i);
                assertThat(p.esp()).hasSize(8 + 100 + i);
            }
        }
    }

    @Test
    @Timeout(30)
    void bindingToAForeignAddressFailsWithTheKernelsReason() {
        assertThatThrownBy(() -> left.call(() -> RawEspSocket.open(Ipv4.parse("192.0.2.99"))))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("bind")
                .hasMessageContaining("Cannot assign requested address")
                .hasMessageContaining("192.0.2.99");
    }

    @Test
    @Timeout(30)
    void closeWakesABlockedReceiver() throws Exception {
        RawEspSocket b = right.call(() -> RawEspSocket.open(B));
        CompletableFuture<Throwable> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                b.receive(-1);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(200);
        b.close();
        assertThat(receiver.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> b.send(A, new byte[16])).isInstanceOf(ClosedChannelException.class);
    }
}
