package dev.vpnrouter.ike.crypto;

/** Our half of one Diffie-Hellman exchange. The private value never leaves this object. */
public sealed interface DhKeyPair permits ModpKeyPair, EcpKeyPair {
    DhGroup group();

    /** Our public value for the KE payload, exactly {@link DhGroup#publicValueLength()} bytes. */
    byte[] publicValue();

    /**
     * g^xy from the peer's KE payload data, {@link DhGroup#sharedSecretLength()} bytes, left-padded with zeros.
     * The peer's value is validated first.
     */
    byte[] sharedSecret(byte[] peerPublicValue) throws CryptoException;
}
