package dev.vpnrouter.ike.wire;

import java.util.Arrays;

/**
 * A datagram with the encryption flag: the header, and the ciphertext between the header and the header's length.
 * The engine decrypts {@link #body} with the IV of this exchange and calls
 * {@link IsakmpCodec#decodePayloads(int, byte[])} with {@code header().nextPayload()}.
 */
public record EncryptedMessage(IsakmpHeader header, byte[] body) implements DecodedMessage {

    public EncryptedMessage {
        body = Bytes.copy(body, "body");
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The last cipher block: the next phase 1 IV (RFC 2409 Appendix B) once this message is accepted. */
    public byte[] lastBlock(int blockSize) {
        if (body.length < blockSize) {
            throw new IllegalStateException("body of " + body.length + " bytes has no " + blockSize + "-byte block");
        }
        return Arrays.copyOfRange(body, body.length - blockSize, body.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedMessage m && m.header.equals(header) && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "EncryptedMessage[" + header + ", " + body.length + " bytes]";
    }
}
