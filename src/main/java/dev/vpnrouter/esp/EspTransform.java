package dev.vpnrouter.esp;

import java.util.Arrays;

/**
 * What an ESP SA does to packets: cipher, key size and integrity algorithm, plus the arithmetic
 * that follows from them (key material split, header and trailer sizes).
 *
 * <p>Keying material is split the way IOS and strongSwan do for IKEv1 (RFC 2409 5.5 KEYMAT):
 * encryption key first, then (for GCM) the 4-byte salt, then the integrity key.
 *
 * @param cipher    the encryption algorithm
 * @param keyBits   cipher key size in bits, excluding any GCM salt (0 for NULL, 192 for 3DES)
 * @param integrity the integrity algorithm; {@link EspIntegrity#NONE} for GCM
 */
public record EspTransform(EspCipher cipher, int keyBits, EspIntegrity integrity) {

    /** ESP header: SPI and sequence number. */
    public static final int HEADER_LENGTH = 8;
    /** Pad Length and Next Header bytes. */
    public static final int TRAILER_LENGTH = 2;

    public EspTransform {
        if (cipher == null || integrity == null) {
            throw new IllegalArgumentException("cipher and integrity are required");
        }
        if (!cipher.acceptsKeyBits(keyBits)) {
            throw new IllegalArgumentException(cipher + " does not take a " + keyBits + "-bit key");
        }
        if (cipher.isAead() && integrity != EspIntegrity.NONE) {
            throw new IllegalArgumentException(cipher + " is an AEAD: it takes no separate integrity algorithm");
        }
        if (cipher == EspCipher.NULL && integrity == EspIntegrity.NONE) {
            throw new IllegalArgumentException("ESP with neither encryption nor integrity is not allowed (RFC 4303 3.2)");
        }
    }

    /** Shorthand: {@code EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_SHA1_96)}. */
    public static EspTransform of(EspCipher cipher, int keyBits, EspIntegrity integrity) {
        return new EspTransform(cipher, keyBits, integrity);
    }

    /** An AES-GCM transform (integrity NONE). */
    public static EspTransform gcm(EspCipher gcm, int keyBits) {
        return new EspTransform(gcm, keyBits, EspIntegrity.NONE);
    }

    public int encryptionKeyLength() {
        return keyBits / 8;
    }

    public int saltLength() {
        return cipher.saltLength();
    }

    public int integrityKeyLength() {
        return integrity.keyLength();
    }

    /** Bytes of keying material one direction of the SA consumes. */
    public int keymatLength() {
        return encryptionKeyLength() + saltLength() + integrityKeyLength();
    }

    public int ivLength() {
        return cipher.ivLength();
    }

    /** Whether packets are authenticated: an HMAC, or an AEAD cipher. */
    public boolean hasIntegrity() {
        return cipher.isAead() || integrity != EspIntegrity.NONE;
    }

    public int icvLength() {
        return cipher.isAead() ? cipher.aeadIcvLength() : integrity.icvLength();
    }

    /** SPI + sequence number + IV: where the payload starts. */
    public int headerLength() {
        return HEADER_LENGTH + ivLength();
    }

    /** Exact size of the ESP packet that sealing an inner packet of {@code innerLength} bytes produces. */
    public int sealedLength(int innerLength) {
        return headerLength() + paddedPayloadLength(innerLength) + icvLength();
    }

    /** Largest ESP overhead (header, maximal padding, trailer, ICV) over the inner packet. */
    public int maxOverhead() {
        return headerLength() + cipher.padAlignment() - 1 + TRAILER_LENGTH + icvLength();
    }

    /** Inner bytes + padding + trailer, rounded up to the pad alignment. */
    int paddedPayloadLength(int innerLength) {
        int align = cipher.padAlignment();
        int raw = innerLength + TRAILER_LENGTH;
        return (raw + align - 1) / align * align;
    }

    /** The encryption key part of {@code keymat}. */
    public byte[] encryptionKey(byte[] keymat) {
        checkKeymat(keymat);
        return Arrays.copyOfRange(keymat, 0, encryptionKeyLength());
    }

    /** The GCM salt part of {@code keymat} (empty for non-AEAD ciphers). */
    public byte[] salt(byte[] keymat) {
        checkKeymat(keymat);
        int from = encryptionKeyLength();
        return Arrays.copyOfRange(keymat, from, from + saltLength());
    }

    /** The integrity key part of {@code keymat} (empty for NONE). */
    public byte[] integrityKey(byte[] keymat) {
        checkKeymat(keymat);
        int from = encryptionKeyLength() + saltLength();
        return Arrays.copyOfRange(keymat, from, from + integrityKeyLength());
    }

    private void checkKeymat(byte[] keymat) {
        if (keymat == null || keymat.length < keymatLength()) {
            throw new IllegalArgumentException(this + " needs " + keymatLength() + " bytes of keying material, got "
                    + (keymat == null ? "none" : keymat.length));
        }
    }

    /** IOS style, e.g. {@code esp-aes 256 esp-sha-hmac} or {@code esp-3des esp-sha-hmac}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(cipher.iosName());
        if (cipher == EspCipher.AES_CBC || cipher.isAead()) {
            s.append(' ').append(keyBits);
        }
        if (cipher.isAead() && cipher != EspCipher.AES_GCM_16) {
            s.append(" icv").append(cipher.aeadIcvLength());
        }
        if (integrity != EspIntegrity.NONE) {
            s.append(' ').append(integrity.iosName());
        }
        return s.toString();
    }
}
