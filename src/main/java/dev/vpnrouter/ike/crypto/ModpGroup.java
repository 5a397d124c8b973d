package dev.vpnrouter.ike.crypto;

import dev.vpnrouter.common.Hex;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A MODP group: generator 2 and a safe prime from RFC 2409 (groups 1, 2) or RFC 3526 (5, 14, 15, 16).
 *
 * <p><b>Private exponent length.</b> By default the private exponent is short: 256 bits for groups up to 2048
 * bits, 320 for 3072 and 384 for 4096. This is safe because every prime here is a safe prime (p = 2q + 1) and
 * peers' values are range-checked, so the only way to attack a short exponent is a generic square-root search
 * (Pollard's kangaroo) costing about 2^(bits/2): 128 bits of work for a 256-bit exponent, above the ~80, ~90 and
 * ~112 bits of strength of the 1024, 1536 and 2048-bit groups themselves; 320 and 384 bits do the same for the
 * ~128 and ~150 bits of 3072 and 4096 (RFC 3526 §8 sizes exponents at twice the group's strength).
 * It matters for speed: modp1024 keygen + agree runs about twice as fast (see docs/benchmarks.md).
 * {@link #withFullExponent()} gives the same group with an exponent drawn from [2, p-2].
 *
 * <p>Arithmetic is {@link BigInteger#modPow}, which is what the JDK's own "DH" KeyAgreement uses underneath; we
 * call it directly to control the exponent and skip the key-object round trips (measured in
 * docs/benchmarks.md).
 */
public final class ModpGroup implements DhGroup {
    private static final String P768 = """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74
            020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437
            4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF
            """;

    private static final String P1024 = """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74
            020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437
            4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF
            """;

    private static final String P1536 = """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74
            020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437
            4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05
            98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB
            9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF
            """;

    private static final String P2048 = """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74
            020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437
            4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05
            98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB
            9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B
            E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718
            3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF
            """;

    private static final String P3072 = """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74
            020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437
            4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05
            98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB
            9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B
            E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718
            3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33
            A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7
            ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864
            D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2
            08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF
            """;

    private static final String P4096 = """
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74
            020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437
            4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05
            98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB
            9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B
            E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718
            3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33
            A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7
            ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864
            D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2
            08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7
            88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8
            DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2
            233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9
            93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF
            """;

    /** Group 1, the 768-bit Oakley group (RFC 2409 §6.1). Weak; accepted only because old peers propose it. */
    public static final ModpGroup MODP_768 = new ModpGroup(1, "modp768", P768, 256);
    /** Group 2, the 1024-bit Oakley group (RFC 2409 §6.2): the seed configs' {@code group 2}. */
    public static final ModpGroup MODP_1024 = new ModpGroup(2, "modp1024", P1024, 256);
    /** Group 5 (RFC 3526 §2). */
    public static final ModpGroup MODP_1536 = new ModpGroup(5, "modp1536", P1536, 256);
    /** Group 14 (RFC 3526 §3). */
    public static final ModpGroup MODP_2048 = new ModpGroup(14, "modp2048", P2048, 256);
    /** Group 15 (RFC 3526 §4). */
    public static final ModpGroup MODP_3072 = new ModpGroup(15, "modp3072", P3072, 320);
    /** Group 16 (RFC 3526 §5). */
    public static final ModpGroup MODP_4096 = new ModpGroup(16, "modp4096", P4096, 384);

    private static final BigInteger TWO = BigInteger.TWO;

    private final int id;
    private final String name;
    private final BigInteger prime;
    private final BigInteger primeMinusOne;
    private final int length;
    /** Private exponent size in bits, or 0 for a full-size exponent. */
    private final int exponentBits;

    private ModpGroup(int id, String name, String primeHex, int exponentBits) {
        this(id, name, new BigInteger(1, Hex.decode(primeHex)), exponentBits);
    }

    private ModpGroup(int id, String name, BigInteger prime, int exponentBits) {
        this.id = id;
        this.name = name;
        this.prime = prime;
        this.primeMinusOne = prime.subtract(BigInteger.ONE);
        this.length = (prime.bitLength() + 7) / 8;
        this.exponentBits = exponentBits;
    }

    /** The same group with a private exponent drawn uniformly from [2, p-2]. */
    public ModpGroup withFullExponent() {
        return new ModpGroup(id, name, prime, 0);
    }

    /**
     * The same group with a {@code bits}-bit private exponent; at least 160 and below the prime's size. Use
     * {@link #withFullExponent()} for a full one.
     */
    public ModpGroup withExponentBits(int bits) {
        if (bits < 160 || bits >= prime.bitLength()) {
            throw new IllegalArgumentException("exponent of " + bits + " bits for " + name);
        }
        return new ModpGroup(id, name, prime, bits);
    }

    /** Private exponent size in bits, or 0 when it is full size. */
    public int exponentBits() {
        return exponentBits;
    }

    public BigInteger prime() {
        return prime;
    }

    public BigInteger generator() {
        return TWO;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int publicValueLength() {
        return length;
    }

    @Override
    public int sharedSecretLength() {
        return length;
    }

    @Override
    public DhKeyPair generateKeyPair(SecureRandom random) {
        BigInteger x;
        if (exponentBits == 0) {
            do {
                x = new BigInteger(prime.bitLength(), random);
            } while (x.compareTo(TWO) < 0 || x.compareTo(primeMinusOne) >= 0);
        } else {
            do {
                x = new BigInteger(exponentBits, random);
            } while (x.compareTo(TWO) < 0);
        }
        return newPair(x);
    }

    @Override
    public DhKeyPair keyPairFromPrivate(byte[] privateValue) throws CryptoException {
        BigInteger x = new BigInteger(1, privateValue);
        if (x.signum() == 0 || x.compareTo(primeMinusOne) >= 0) {
            throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_VALUE,
                    name + " private value out of [1, p-2]");
        }
        return newPair(x);
    }

    private ModpKeyPair newPair(BigInteger x) {
        return new ModpKeyPair(this, x, Bytes.fixedLength(TWO.modPow(x, prime), length));
    }

    @Override
    public void validatePublicValue(byte[] publicValue) throws CryptoException {
        peerValue(publicValue);
    }

    /** The peer's public value as a number once it passes the checks: exact length, 1 < y < p-1. */
    BigInteger peerValue(byte[] publicValue) throws CryptoException {
        if (publicValue.length != length) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    name + " public value of " + publicValue.length + " bytes, expected " + length);
        }
        BigInteger y = new BigInteger(1, publicValue);
        // 0 and p are not group elements; 1 and p-1 generate subgroups of order 1 and 2 (the only small ones
        // of a safe prime) and would pin the shared secret to 1 or ±1.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(primeMinusOne) >= 0) {
            throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_VALUE,
                    name + " public value out of (1, p-1)");
        }
        return y;
    }

    @Override
    public String toString() {
        return name + (exponentBits == 0 ? "/full-exponent" : "/" + exponentBits + "-bit-exponent");
    }
}
