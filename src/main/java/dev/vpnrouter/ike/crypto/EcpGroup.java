package dev.vpnrouter.ike.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

/**
 * A random ECP group of RFC 5903 (groups 19, 20, 21: NIST P-256, P-384, P-521) over the JDK's "EC" provider.
 * As RFC 5903 §7 says, a KE payload carries x | y, each exactly the field size, with no 0x04 prefix, and the
 * shared secret is the x coordinate of the shared point.
 */
public final class EcpGroup implements DhGroup {
    public static final EcpGroup ECP_256 = new EcpGroup(19, "ecp256", "secp256r1");
    public static final EcpGroup ECP_384 = new EcpGroup(20, "ecp384", "secp384r1");
    public static final EcpGroup ECP_521 = new EcpGroup(21, "ecp521", "secp521r1");

    private final int id;
    private final String name;
    private final ECParameterSpec spec;
    private final BigInteger p;
    private final BigInteger a;
    private final BigInteger b;
    private final BigInteger order;
    private final int fieldLength;

    private EcpGroup(int id, String name, String curve) {
        this.id = id;
        this.name = name;
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(curve));
            this.spec = params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks curve " + curve, e);
        }
        ECField field = spec.getCurve().getField();
        this.p = ((ECFieldFp) field).getP();
        this.a = spec.getCurve().getA();
        this.b = spec.getCurve().getB();
        this.order = spec.getOrder();
        this.fieldLength = (field.getFieldSize() + 7) / 8;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    /** Size of one coordinate in bytes: 32, 48 or 66. */
    public int fieldLength() {
        return fieldLength;
    }

    @Override
    public int publicValueLength() {
        return 2 * fieldLength;
    }

    @Override
    public int sharedSecretLength() {
        return fieldLength;
    }

    @Override
    public DhKeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(spec, random);
            KeyPair pair = generator.generateKeyPair();
            ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
            return new EcpKeyPair(this, (ECPrivateKey) pair.getPrivate(), encode(w.getAffineX(), w.getAffineY()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation failed for " + name, e);
        }
    }

    @Override
    public DhKeyPair keyPairFromPrivate(byte[] privateValue) throws CryptoException {
        BigInteger d = new BigInteger(1, privateValue);
        if (d.signum() == 0 || d.compareTo(order) >= 0) {
            throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_VALUE,
                    name + " private value out of [1, n-1]");
        }
        // JCE cannot derive a public point from a private scalar, so compute d*G ourselves (slow, tests only).
        EcMath curve = new EcMath(p, a);
        EcMath.Point g = new EcMath.Point(spec.getGenerator().getAffineX(), spec.getGenerator().getAffineY());
        EcMath.Point q = curve.multiply(g, d);
        try {
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(d, spec));
            return new EcpKeyPair(this, key, encode(q.x(), q.y()));
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_VALUE, name + " private key refused", e);
        }
    }

    @Override
    public void validatePublicValue(byte[] publicValue) throws CryptoException {
        peerKey(publicValue);
    }

    /** The peer's public key once x | y passes the checks: exact length, coordinates below p, on the curve. */
    ECPublicKey peerKey(byte[] publicValue) throws CryptoException {
        if (publicValue.length != 2 * fieldLength) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    name + " public value of " + publicValue.length + " bytes, expected " + 2 * fieldLength);
        }
        BigInteger x = Bytes.unsigned(publicValue, 0, fieldLength);
        BigInteger y = Bytes.unsigned(publicValue, fieldLength, fieldLength);
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    name + " public value coordinate not below p");
        }
        // y^2 = x^3 + ax + b (mod p). The NIST curves have cofactor 1, so on the curve means in the group; the
        // point at infinity has no x | y encoding and (0, 0) is not on these curves.
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.multiply(x).add(a).multiply(x).add(b).mod(p);
        if (!left.equals(right)) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    name + " public value is not on the curve");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE, name + " public value refused", e);
        }
    }

    private byte[] encode(BigInteger x, BigInteger y) {
        return Bytes.concat(Bytes.fixedLength(x, fieldLength), Bytes.fixedLength(y, fieldLength));
    }

    @Override
    public String toString() {
        return name;
    }
}
