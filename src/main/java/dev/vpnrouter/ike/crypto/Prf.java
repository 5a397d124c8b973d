package dev.vpnrouter.ike.crypto;

/**
 * A pseudo-random function as RFC 2409 uses it: {@code prf(key, data)}. IKEv1 peers in practice only ever use
 * the HMAC of the negotiated hash ({@link HashAlgorithm#prf()}); this interface lets a faster implementation
 * replace the JCE one without touching the key derivation.
 */
public interface Prf {
    /** A stable identifier for logs and tests ({@code HMAC_SHA1}). */
    String name();

    /** Output size in bytes. */
    int outputLength();

    /** The hash this PRF is built on (IKEv1 ties them together). */
    HashAlgorithm hash();

    /** {@code prf(key, parts[0] | parts[1] | ...)}. Any key length works, including empty. */
    byte[] compute(byte[] key, byte[]... parts);

    static Prf hmac(HashAlgorithm hash) {
        return HmacPrf.of(hash);
    }
}
