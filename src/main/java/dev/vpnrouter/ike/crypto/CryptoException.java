package dev.vpnrouter.ike.crypto;

/**
 * Bad input to a cryptographic operation: a peer's DH public value that is not a valid group element, a
 * ciphertext that is not a whole number of blocks, a key of the wrong size. Checked, so that the engine must
 * turn it into a drop or a notify; JCE exceptions never escape this package.
 */
public final class CryptoException extends Exception {
    /** What was wrong, for the engine to pick a notify and for debug lines. */
    public enum Reason {
        /** A peer's DH public value is out of range, off the curve or of the wrong length. */
        INVALID_PUBLIC_VALUE,
        /** A private value given to {@code keyPairFromPrivate} is out of range. */
        INVALID_PRIVATE_VALUE,
        /** A ciphertext or plaintext that is empty or not a multiple of the cipher's block size. */
        INVALID_LENGTH,
        /** A key or IV of the wrong size for the cipher. */
        INVALID_KEY
    }

    private final Reason reason;

    public CryptoException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CryptoException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
