package dev.vpnrouter.ike.wire;

/** What {@link IsakmpCodec#decode} makes of a datagram: a clear message, or an encrypted one for the engine to open. */
public sealed interface DecodedMessage permits PlainMessage, EncryptedMessage {
    IsakmpHeader header();
}
