package dev.vpnrouter.cli;

/**
 * The per-SA-pair counters {@code show crypto ipsec sa} prints, as the data plane counts them. Outbound packets
 * are encapsulated, encrypted and digested together; inbound ones decapsulated, decrypted and verified.
 */
public record SaCounters(long encaps, long encrypt, long digest, long decaps, long decrypt, long verify,
        long sendErrors, long recvErrors, long outboundKilobytes, long inboundKilobytes) {
    public static final SaCounters ZERO = new SaCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
