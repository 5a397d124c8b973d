package dev.vpnrouter.net;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * The IKE port numbers, address conversions, and plain UDP sockets through the JDK's {@link DatagramChannel} bound
 * to one address with SO_REUSEADDR off. The router's own IKE ports are {@link UdpIkeSocket}s (a larger buffer and
 * batches need the descriptor); these channels serve the tests' peers and stand-ins.
 */
public final class UdpEndpoint {
    public static final int IKE_PORT = 500;
    public static final int NAT_T_PORT = 4500;

    private UdpEndpoint() {
    }

    /** A blocking channel bound to {@code address:port} ({@code address} 0 binds all addresses). */
    public static DatagramChannel bind(int address, int port) throws IOException {
        return bind(address, port, false);
    }

    /**
     * As {@link #bind(int, int)}; {@code sharedWithDataPlane} turns SO_REUSEPORT on so the data plane's
     * {@link UdpEspSocket} can join this port and take the ESP in UDP (the port-500 socket, bound first and
     * without it, is what keeps a second router out).
     */
    public static DatagramChannel bind(int address, int port, boolean sharedWithDataPlane) throws IOException {
        DatagramChannel channel = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            if (sharedWithDataPlane) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(new InetSocketAddress(InetAddress.getByAddress(Ipv4.toBytes(address)), port));
            return channel;
        } catch (BindException e) {
            channel.close();
            BindException clear = new BindException("UDP " + Ipv4.format(address) + ":" + port
                    + " is taken (is another vpnrouter or an IKE daemon running here?) or not a local address: "
                    + e.getMessage());
            clear.initCause(e);
            throw clear;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** An {@link InetSocketAddress} for an {@link Ipv4} int and port. */
    public static InetSocketAddress socketAddress(int address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Ipv4.toBytes(address)), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    /** The {@link Ipv4} int of an IPv4 socket address. */
    public static int addressOf(InetSocketAddress socketAddress) {
        byte[] raw = socketAddress.getAddress().getAddress();
        if (raw.length != 4) {
            throw new IllegalArgumentException("not IPv4: " + socketAddress);
        }
        return Ipv4.fromBytes(raw, 0);
    }
}
