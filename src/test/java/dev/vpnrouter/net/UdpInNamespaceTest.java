package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.interop.Daemon;
import dev.vpnrouter.interop.Interop;
import dev.vpnrouter.interop.NetNs;
import dev.vpnrouter.interop.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sockets opened through {@link NetNamespace} belong to that namespace for good: an in-JVM router can own UDP
 * 500/4500 in the hub namespace while the test drives other namespaces. Also checks a Java main started in a
 * namespace by the harness sees that namespace's interfaces.
 */
@Interop
class UdpInNamespaceTest {
    @Test
    @Timeout(60)
    void udpEndpointsLiveInTheNamespaceTheyWereOpenedIn() throws Exception {
        Prerequisites.require("ip");
        try (NetNs a = NetNs.create("udp-a"); NetNs b = NetNs.create("udp-b")) {
            a.veth("veth0", b, "veth0");
            a.addAddress("veth0", "10.78.0.1/24");
            b.addAddress("veth0", "10.78.0.2/24");
            int addrA = Ipv4.parse("10.78.0.1");
            int addrB = Ipv4.parse("10.78.0.2");
            // 10.78.0.1 exists only inside namespace a: binding to it works there and nowhere else.
            try (DatagramChannel ike = a.call(() -> UdpEndpoint.bind(addrA, UdpEndpoint.IKE_PORT));
                    DatagramChannel peer = b.call(() -> UdpEndpoint.bind(addrB, UdpEndpoint.IKE_PORT))) {
                peer.send(ByteBuffer.wrap("hello".getBytes()), UdpEndpoint.socketAddress(addrA, UdpEndpoint.IKE_PORT));
                ByteBuffer in = ByteBuffer.allocate(64);
                InetSocketAddress from = (InetSocketAddress) ike.receive(in);
                assertThat(UdpEndpoint.addressOf(from)).isEqualTo(addrB);
                assertThat(from.getPort()).isEqualTo(500);
                assertThat(new String(in.array(), 0, in.position())).isEqualTo("hello");
            }
        }
    }

    @Test
    @Timeout(60)
    void javaMainRunsInsideTheNamespace() throws Exception {
        Prerequisites.require("ip");
        try (NetNs ns = NetNs.create("java")) {
            ns.links().ip("link", "add", "vjava7", "type", "veth", "peer", "name", "vjava8");
            ns.addAddress("vjava7", "10.79.0.1/24"); // the JDK lists interfaces that have an address
            Path log = Path.of("target", "interop", "java-" + ProcessHandle.current().pid(), "main.log");
            try (Daemon main = ns.startJava("lister", log, ListInterfaces.class.getName())) {
                assertThat(main.awaitExit(Duration.ofSeconds(30))).as(main.log()).isZero();
                assertThat(main.log()).contains("vjava7");
            }
        }
    }

    /** Prints the interfaces this JVM sees. */
    public static final class ListInterfaces {
        public static void main(String[] args) throws Exception {
            java.net.NetworkInterface.networkInterfaces().forEach(i -> System.out.println(i.getName()));
        }
    }
}
