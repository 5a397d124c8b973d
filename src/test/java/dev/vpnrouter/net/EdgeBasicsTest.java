package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parts of the edge that need no namespace: errno reporting, UDP binding, command running. */
class EdgeBasicsTest {
    @Test
    void errnoBecomesAnExceptionWithTheKernelsWords() {
        assertThat(Libc.strerror(2)).isEqualTo("No such file or directory");
        assertThatThrownBy(() -> Libc.open("/nonexistent/vpnrouter", Libc.O_RDONLY))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(2);
                    assertThat(e.call()).isEqualTo("open");
                    assertThat(e.getMessage()).contains("No such file or directory").contains("/nonexistent/vpnrouter");
                });
        assertThatThrownBy(() -> Libc.close(-1)).isInstanceOfSatisfying(ErrnoException.class,
                e -> assertThat(e.errno()).isEqualTo(Libc.EBADF));
    }

    @Test
    void secondBindOnTheSameAddressAndPortFailsClearly() throws Exception {
        int loopback = Ipv4.parse("127.0.0.1");
        try (DatagramChannel first = UdpEndpoint.bind(loopback, 0)) {
            int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
            assertThatThrownBy(() -> UdpEndpoint.bind(loopback, port))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("UDP 127.0.0.1:" + port + " is taken");
            // The first endpoint still works.
            try (DatagramChannel sender = DatagramChannel.open()) {
                sender.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), UdpEndpoint.socketAddress(loopback, port));
            }
            ByteBuffer in = ByteBuffer.allocate(16);
            InetSocketAddress from = (InetSocketAddress) first.receive(in);
            assertThat(UdpEndpoint.addressOf(from)).isEqualTo(loopback);
            assertThat(in.position()).isEqualTo(3);
        }
    }

    @Test
    void commandsAreBoundedAndReportTheirOutput() throws Exception {
        Command.Result ok = Command.run(java.time.Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2");
        assertThat(ok.ok()).isTrue();
        assertThat(ok.stdout()).isEqualTo("out\n");
        assertThat(ok.stderr()).isEqualTo("err\n");

        long start = System.nanoTime();
        Command.Result slow = Command.run(java.time.Duration.ofMillis(300), "sleep", "30");
        assertThat(slow.timedOut()).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        assertThatThrownBy(slow::check).hasMessageContaining("timed out");

        assertThatThrownBy(() -> Command.run(java.time.Duration.ofSeconds(10), "sh", "-c", "echo nope >&2; exit 3")
                .check()).hasMessageContaining("exited 3").hasMessageContaining("nope");
    }
}
