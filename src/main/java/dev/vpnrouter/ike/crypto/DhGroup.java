package dev.vpnrouter.ike.crypto;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * A Diffie-Hellman group as IKEv1 numbers them: MODP groups 1, 2, 5, 14, 15, 16 (RFC 2409, RFC 3526) and the
 * random ECP groups 19, 20, 21 (RFC 5903). Randomness is always passed in, so a test or a simulation with a
 * seeded source is reproducible.
 */
public sealed interface DhGroup permits ModpGroup, EcpGroup {
    /** The Group Description attribute value (IANA "Diffie-Hellman Group Type"). */
    int id();

    /** A short name for logs: {@code modp1024}, {@code ecp256}. */
    String name();

    /** Exact length in bytes of a public value in a KE payload (MODP: the prime's; ECP: x | y). */
    int publicValueLength();

    /** Length in bytes of the shared secret g^xy (MODP: the prime's; ECP: the x coordinate's). */
    int sharedSecretLength();

    /** A fresh key pair; the private value is drawn from {@code random}. */
    DhKeyPair generateKeyPair(SecureRandom random);

    /**
     * The key pair with the given private value (big-endian, unsigned), for known-answer tests and reproducible
     * simulations.
     */
    DhKeyPair keyPairFromPrivate(byte[] privateValue) throws CryptoException;

    /** Checks a peer's public value: length, range and, for ECP, that the point is on the curve. */
    void validatePublicValue(byte[] publicValue) throws CryptoException;

    /** All supported groups, MODP ones with their default (short) private exponent. */
    static List<DhGroup> all() {
        return List.of(ModpGroup.MODP_768, ModpGroup.MODP_1024, ModpGroup.MODP_1536, ModpGroup.MODP_2048,
                ModpGroup.MODP_3072, ModpGroup.MODP_4096, EcpGroup.ECP_256, EcpGroup.ECP_384, EcpGroup.ECP_521);
    }

    /** The group with this Group Description value, if we support it. */
    static Optional<DhGroup> byId(int id) {
        for (DhGroup g : all()) {
            if (g.id() == id) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
