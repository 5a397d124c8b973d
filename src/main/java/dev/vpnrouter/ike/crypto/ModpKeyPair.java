package dev.vpnrouter.ike.crypto;

import java.math.BigInteger;

/** A MODP key pair: private exponent x and public value g^x mod p. */
final class ModpKeyPair implements DhKeyPair {
    private final ModpGroup group;
    private final BigInteger privateExponent;
    private final byte[] publicValue;

    ModpKeyPair(ModpGroup group, BigInteger privateExponent, byte[] publicValue) {
        this.group = group;
        this.privateExponent = privateExponent;
        this.publicValue = publicValue;
    }

    @Override
    public DhGroup group() {
        return group;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    /** Bit length of the private exponent, so tests can check the short-exponent option. */
    int privateExponentBits() {
        return privateExponent.bitLength();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws CryptoException {
        BigInteger y = group.peerValue(peerPublicValue);
        BigInteger shared = y.modPow(privateExponent, group.prime());
        if (shared.equals(BigInteger.ONE)) {
            // Only if the peer's value has an order dividing x: never for an honest peer.
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    group.name() + " shared secret is 1");
        }
        return Bytes.fixedLength(shared, group.sharedSecretLength());
    }

    @Override
    public String toString() {
        return "DhKeyPair[" + group.name() + "]";
    }
}
