package dev.vpnrouter.ike.crypto;

import java.util.Optional;

/**
 * A CBC block cipher that encrypts ISAKMP message bodies (everything after the 28-byte header). No padding is
 * added or removed here: the input must already be a whole number of blocks ({@link IkePadding} pads what we
 * send; the payload chain, not the cipher, tells where a received body ends).
 */
public interface IkeCipher {
    /** A stable identifier for logs and tests ({@code TRIPLE_DES_CBC}). */
    String name();

    /** The Encryption Algorithm attribute value in a phase-1 transform (RFC 2409 Appendix A, RFC 3602). */
    int ikeId();

    /** Key size in bytes. */
    int keyLength();

    /** Block size in bytes, which is also the IV size. */
    int blockSize();

    /** CBC-encrypts {@code plaintext} (a non-empty multiple of the block size) with {@code key} and {@code iv}. */
    byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext) throws CryptoException;

    /** CBC-decrypts {@code ciphertext} (a non-empty multiple of the block size). */
    byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext) throws CryptoException;

    /**
     * The cipher for a phase-1 transform's Encryption Algorithm and Key Length attributes.
     *
     * @param keyLengthBits the Key Length attribute, or 0 when the transform has none. AES requires it
     *     (RFC 3602 §5); DES and 3DES have a fixed key and accept only 0 or their own size.
     */
    static Optional<IkeCipher> fromIke(int algorithmId, int keyLengthBits) {
        return JceCbcCipher.fromIke(algorithmId, keyLengthBits);
    }
}
