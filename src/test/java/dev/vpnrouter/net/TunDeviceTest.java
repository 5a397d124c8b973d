package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Daemon;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.interop.Packets;
import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our TUN device in a namespace of its own: the kernel pings an address routed into it, the test reads each echo
 * request from the device and writes the reply back, and ping sees every reply.
 */
@Interop
class TunDeviceTest {
    private static final int LOCAL = Ipv4.parse("10.99.0.1");
    private static final int PEER = Ipv4.parse("10.99.0.2");

    private NetNs ns;
    private TunDevice tun;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.require("ip", "ping");
        ns = NetNs.create("tun");
        tun = ns.call(() -> TunDevice.open("vrtun%d"));
        LinkConfig links = ns.links();
        links.disableIpv6(tun.name());
        links.addAddress(tun.name(), LOCAL, 24);
        links.up(tun.name());
    }

    @AfterEach
    void tearDown() {
        if (tun != null) {
            tun.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    @Timeout(60)
    void kernelPingIsAnsweredThroughTheDevice() throws Exception {
        assertThat(tun.name()).startsWith("vrtun");
        assertThat(ns.links().addresses(tun.name())).extracting(LinkConfig.InterfaceAddress::address)
                .containsExactly(LOCAL);

        Path log = Path.of("target", "interop", "tun-" + ProcessHandle.current().pid(), "ping.log");
        try (Daemon ping = ns.start("ping", log, List.of("ping", "-n", "-c", "3", "-i", "0.2", "-W", "5",
                Ipv4.format(PEER)))) {
            int answered = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (answered < 3 && System.nanoTime() < deadline) {
                byte[] packet = tun.read(1000);
                if (packet == null || !Packets.isEchoRequest(packet)) {
                    continue; // nothing yet, or something else the kernel sent
                }
                assertThat(Packets.source(packet)).isEqualTo(LOCAL);
                assertThat(Packets.destination(packet)).isEqualTo(PEER);
                tun.write(Packets.echoReplyFor(packet));
                answered++;
            }
            assertThat(answered).as("echo requests read from the TUN").isEqualTo(3);
            assertThat(ping.awaitExit(Duration.ofSeconds(15))).as(ping.log()).isZero();
            assertThat(ping.log()).contains("3 packets transmitted, 3 received");
        }
    }

    @Test
    @Timeout(60)
    void withOffloadsEveryPacketCarriesAVirtioHeaderBothWays() throws Exception {
        try (TunDevice off = ns.call(() -> TunDevice.open("vroff%d", true))) {
            assertThat(off.offloads()).isTrue();
            LinkConfig links = ns.links();
            links.disableIpv6(off.name());
            links.addAddress(off.name(), Ipv4.parse("10.98.0.1"), 24);
            links.up(off.name());
            java.lang.foreign.MemorySegment buf = java.lang.foreign.Arena.ofAuto().allocate(TunDevice.MAX_PACKET + 10);
            Path log = Path.of("target", "interop", "tun-" + ProcessHandle.current().pid(), "ping-offload.log");
            try (Daemon ping = ns.start("ping", log, List.of("ping", "-n", "-c", "2", "-i", "0.2", "-W", "5",
                    "10.98.0.2"))) {
                int answered = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (answered < 2 && System.nanoTime() < deadline) {
                    int n = off.tryRead(buf);
                    if (n == 0) {
                        off.awaitReadable(500);
                        continue;
                    }
                    byte[] raw = buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    assertThat(n).isGreaterThan(TcpOffload.VNET_HDR_LEN);
                    assertThat(TcpOffload.gsoType(raw, 0)).as("no GSO for a ping").isZero();
                    byte[] packet = java.util.Arrays.copyOfRange(raw, TcpOffload.VNET_HDR_LEN, n);
                    if (!Packets.isEchoRequest(packet)) {
                        continue;
                    }
                    off.write(Packets.echoReplyFor(packet)); // write() adds a plain header
                    answered++;
                }
                assertThat(answered).isEqualTo(2);
                assertThat(ping.awaitExit(Duration.ofSeconds(15))).as(ping.log()).isZero();
            }
        }
    }

    @Test
    @Timeout(30)
    void readTimesOutAndCloseWakesABlockedReader() throws Exception {
        long start = System.nanoTime();
        assertThat(tun.read(200)).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 5000L);

        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                while (true) {
                    tun.read(-1); // forever, until close
                }
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(200);
        long closing = System.nanoTime();
        tun.close();
        Throwable ended = reader.get(5, TimeUnit.SECONDS);
        assertThat(ended).isInstanceOf(ClosedChannelException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing)).isLessThan(2000L);
        assertThat(tun.isOpen()).isFalse();
        assertThatThrownBy(() -> tun.write(new byte[20])).isInstanceOf(ClosedChannelException.class);
        // The device goes away with its fd.
        assertThat(ns.exec(Duration.ofSeconds(5), "ip", "link", "show", tun.name()).ok()).isFalse();
    }

    @Test
    @Timeout(30)
    void rejectsBadNamesAndReportsErrnoText() throws Exception {
        assertThatThrownBy(() -> TunDevice.open("a-name-longer-than-15")).isInstanceOf(IllegalArgumentException.class);
        // A second device with the same name while the first exists is refused by the kernel (EBUSY).
        assertThatThrownBy(() -> ns.call(() -> TunDevice.open(tun.name())))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("TUNSETIFF")
                .hasMessageContaining("busy");
    }
}
