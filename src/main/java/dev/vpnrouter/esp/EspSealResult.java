package dev.vpnrouter.esp;

/** Result of the allocating {@link EspOutboundSa#seal(byte[])}. */
public sealed interface EspSealResult {
    record Sealed(byte[] packet) implements EspSealResult {
    }

    record Refused(EspSealError error) implements EspSealResult {
    }
}
