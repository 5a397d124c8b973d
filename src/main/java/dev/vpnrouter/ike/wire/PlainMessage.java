package dev.vpnrouter.ike.wire;

/** A datagram without the encryption flag, its payload chain decoded. */
public record PlainMessage(IsakmpHeader header, PayloadChain payloads) implements DecodedMessage {
}
