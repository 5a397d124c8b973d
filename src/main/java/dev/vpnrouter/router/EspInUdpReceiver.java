package dev.vpnrouter.router;

/**
 * Receives ESP-in-UDP (RFC 3948) that arrives on the runtime's port 4500: datagrams that are neither IKE (non-ESP
 * marker) nor a NAT keepalive. Called on the loop thread; {@code esp} starts at the SPI and is the receiver's to
 * keep. The data plane answers through {@link RouterRuntime#sendEspInUdp}.
 */
@FunctionalInterface
public interface EspInUdpReceiver {
    void receive(int source, int sourcePort, byte[] esp);
}
