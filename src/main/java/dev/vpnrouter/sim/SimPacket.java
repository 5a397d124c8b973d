package dev.vpnrouter.sim;

/**
 * An outer packet on the simulated internet: UDP (protocol 17, with ports) or raw ESP (protocol 50, ports 0).
 * Inner packets travel as real IPv4 bytes inside ESP; only the outer layer is structured, for speed.
 */
public record SimPacket(int src, int srcPort, int dst, int dstPort, int protocol, byte[] payload) {
    public static final int UDP = 17;
    public static final int ESP = 50;

    public static SimPacket udp(int src, int srcPort, int dst, int dstPort, byte[] payload) {
        return new SimPacket(src, srcPort, dst, dstPort, UDP, payload);
    }

    public static SimPacket esp(int src, int dst, byte[] payload) {
        return new SimPacket(src, 0, dst, 0, ESP, payload);
    }

    SimPacket withSource(int address, int port) {
        return new SimPacket(address, port, dst, dstPort, protocol, payload);
    }

    SimPacket withDestination(int address, int port) {
        return new SimPacket(src, srcPort, address, port, protocol, payload);
    }
}
