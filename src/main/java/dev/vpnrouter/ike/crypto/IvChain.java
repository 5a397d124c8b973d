package dev.vpnrouter.ike.crypto;

import java.util.Arrays;

/**
 * The CBC IV of one IKEv1 exchange, as an immutable value (RFC 2409 Appendix B).
 *
 * <p>Phase 1 (Main or Aggressive Mode, message ID 0) starts from {@code hash(g^xi | g^xr)}; every other
 * exchange (Quick Mode, Informational, Transaction) starts from {@code hash(last phase-1 CBC output block |
 * M-ID)}. Within an exchange, the IV of each message is the last ciphertext block of the previous encrypted
 * message of that exchange, whoever sent it: one chain per exchange, not one per direction.
 *
 * <p>Being a value, a chain is only advanced when the engine keeps the result: a received message that fails
 * its HASH check, or a retransmission, must not move it (the engine keeps the old chain and drops the new one).
 */
public final class IvChain {
    private final byte[] iv;

    private IvChain(byte[] iv) {
        this.iv = iv;
    }

    /** A chain at the given IV (copied). */
    public static IvChain of(byte[] iv) {
        if (iv.length == 0) {
            throw new IllegalArgumentException("empty IV");
        }
        return new IvChain(iv.clone());
    }

    /** Phase-1 IV: {@code hash(g^xi | g^xr)} truncated to the block size. */
    public static IvChain phase1(HashAlgorithm hash, IkeCipher cipher, byte[] gxi, byte[] gxr) {
        return truncated(hash.digest(gxi, gxr), cipher.blockSize());
    }

    /**
     * First IV of a phase-2, Informational or Transaction exchange: {@code hash(last phase-1 CBC output block |
     * M-ID)} truncated to the block size, where the last phase-1 block is where the phase-1 chain ended.
     */
    public static IvChain forMessageId(HashAlgorithm hash, IkeCipher cipher, IvChain phase1, int messageId) {
        return truncated(hash.digest(phase1.iv, Bytes.int32(messageId)), cipher.blockSize());
    }

    private static IvChain truncated(byte[] digest, int blockSize) {
        if (digest.length < blockSize) {
            // Cannot happen with the hashes and ciphers we support (MD5's 16 bytes >= AES's block).
            throw new IllegalArgumentException("hash shorter than the block size");
        }
        return new IvChain(Arrays.copyOf(digest, blockSize));
    }

    /** The IV for the next message of this exchange. */
    public byte[] iv() {
        return iv.clone();
    }

    /** The chain after an encrypted message of this exchange: its last ciphertext block becomes the IV. */
    public IvChain after(byte[] ciphertext) {
        if (ciphertext.length < iv.length) {
            throw new IllegalArgumentException("ciphertext shorter than one block");
        }
        return new IvChain(Arrays.copyOfRange(ciphertext, ciphertext.length - iv.length, ciphertext.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IvChain other && Arrays.equals(iv, other.iv);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(iv);
    }

    @Override
    public String toString() {
        return "IvChain[" + dev.vpnrouter.common.Hex.of(iv) + "]";
    }
}
