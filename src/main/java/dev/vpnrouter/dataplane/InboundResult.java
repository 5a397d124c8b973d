package dev.vpnrouter.dataplane;

import dev.vpnrouter.esp.EspDropReason;

import java.util.Arrays;

/** What became of an ESP packet that arrived from outside. */
public sealed interface InboundResult {

    /**
     * The inner IPv4 packet, authenticated and within the SA's proxy identities: forward it to the inside.
     * It is {@code buffer[offset, offset+length)}.
     */
    record Deliver(byte[] buffer, int offset, int length, InnerFlow flow, long childId) implements InboundResult {
        /** The inner packet as its own array (copies unless it already is one). */
        public byte[] packet() {
            return offset == 0 && length == buffer.length ? buffer : Arrays.copyOfRange(buffer, offset,
                    offset + length);
        }
    }

    /**
     * Dropped and counted: on the SA when one was found ({@code childId} != 0), else in the data plane's counters
     * ({@link EspDropReason#WRONG_SPI} for an unknown SPI, {@link EspDropReason#TRUNCATED} for a runt).
     */
    record Drop(EspDropReason reason, long childId) implements InboundResult {
    }
}
