package dev.vpnrouter.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import javax.crypto.KeyAgreement;

/** An ECP key pair: a JCE private key and our public value x | y. */
final class EcpKeyPair implements DhKeyPair {
    private final EcpGroup group;
    private final ECPrivateKey privateKey;
    private final byte[] publicValue;

    EcpKeyPair(EcpGroup group, ECPrivateKey privateKey, byte[] publicValue) {
        this.group = group;
        this.privateKey = privateKey;
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

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws CryptoException {
        ECPublicKey peer = group.peerKey(peerPublicValue);
        byte[] x;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey);
            agreement.doPhase(peer, true);
            x = agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    group.name() + " key agreement refused the peer's value", e);
        }
        if (x.length == group.sharedSecretLength()) {
            return x;
        }
        return Bytes.fixedLength(new java.math.BigInteger(1, x), group.sharedSecretLength());
    }

    @Override
    public String toString() {
        return "DhKeyPair[" + group.name() + "]";
    }
}
