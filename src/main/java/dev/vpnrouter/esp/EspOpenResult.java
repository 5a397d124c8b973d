package dev.vpnrouter.esp;

/** Result of the allocating {@link EspInboundSa#open(byte[])}. */
public sealed interface EspOpenResult {
    /** The inner IP packet and the next header it was carried with (4 or 41). */
    record Opened(byte[] inner, int nextHeader) implements EspOpenResult {
    }

    record Dropped(EspDropReason reason) implements EspOpenResult {
    }
}
