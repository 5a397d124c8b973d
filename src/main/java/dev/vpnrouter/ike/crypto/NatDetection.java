package dev.vpnrouter.ike.crypto;

/**
 * NAT-D payload data (RFC 3947 §3.2): {@code HASH(CKY-I | CKY-R | IP | Port)} with the negotiated hash.
 * The first NAT-D payload a side sends carries the hash of the destination address, the following ones those
 * of its own addresses; a mismatch with what the receiver computes means a NAT on the path.
 */
public final class NatDetection {
    private NatDetection() {
    }

    /**
     * @param address IPv4 address as {@code dev.vpnrouter.common.Ipv4} holds it
     * @param port UDP port, 0..65535
     */
    public static byte[] hash(HashAlgorithm hash, byte[] initiatorCookie, byte[] responderCookie, int address,
            int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port);
        }
        return hash.digest(initiatorCookie, responderCookie, Bytes.int32(address),
                new byte[] {(byte) (port >>> 8), (byte) port});
    }
}
