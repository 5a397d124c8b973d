package dev.vpnrouter.esp;

/** Reads the clear ESP header fields, e.g. to find the SA for a received packet by SPI. */
public final class EspHeader {
    private EspHeader() {
    }

    /** The SPI of the ESP packet at {@code off}; the caller checks that 4 bytes are there. */
    public static int spi(byte[] packet, int off) {
        return EspInboundSa.readInt(packet, off);
    }

    /** The low 32 bits of the sequence number (unsigned). */
    public static long sequence(byte[] packet, int off) {
        return EspInboundSa.readInt(packet, off + 4) & 0xFFFFFFFFL;
    }
}
