package dev.vpnrouter.router;

import dev.vpnrouter.net.UdpEndpoint;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends syslog datagrams for the router's loop without ever blocking it: one non-blocking UDP socket, bound to the
 * {@code logging source-interface} address when there is one (else the kernel picks the source by route). A
 * datagram the socket cannot take now (send buffer full) or cannot send at all (no route) is dropped and counted:
 * syslog over UDP is lossy anyway, and a router must not wait on its log.
 */
final class SyslogSender implements AutoCloseable {
    private final DatagramChannel channel;
    private final int sourceAddress;

    private SyslogSender(DatagramChannel channel, int sourceAddress) {
        this.channel = channel;
        this.sourceAddress = sourceAddress;
    }

    /** A sender from {@code sourceAddress} (0: any), in the calling thread's network namespace. */
    static SyslogSender open(int sourceAddress) throws IOException {
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            c.configureBlocking(false);
            c.bind(UdpEndpoint.socketAddress(sourceAddress, 0));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new SyslogSender(c, sourceAddress);
    }

    int sourceAddress() {
        return sourceAddress;
    }

    /** True when the datagram left; false when it was dropped (the caller counts it). */
    boolean send(int address, int port, byte[] payload) {
        try {
            if (channel.send(ByteBuffer.wrap(payload), UdpEndpoint.socketAddress(address, port)) > 0) {
                return true;
            }
        } catch (IOException e) {
            // no route, unreachable (a previous ICMP error): dropped like a full buffer
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
