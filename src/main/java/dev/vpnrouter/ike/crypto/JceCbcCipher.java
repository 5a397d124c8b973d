package dev.vpnrouter.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The IKEv1 CBC ciphers over JCE with {@code NoPadding}: DES, 3DES and AES-128/192/256. */
public enum JceCbcCipher implements IkeCipher {
    DES_CBC(1, 8, 8, "DES"),
    TRIPLE_DES_CBC(5, 24, 8, "DESede"),
    AES_128_CBC(7, 16, 16, "AES"),
    AES_192_CBC(7, 24, 16, "AES"),
    AES_256_CBC(7, 32, 16, "AES");

    private final int ikeId;
    private final int keyLength;
    private final int blockSize;
    private final String jceAlgorithm;
    /**
     * One Cipher per thread, initialised afresh for each message: {@code Cipher.getInstance} walks the provider
     * list each time, which cost more than the 3DES of a Main Mode message under the load-tester.
     */
    private final ThreadLocal<Cipher> cipher;

    JceCbcCipher(int ikeId, int keyLength, int blockSize, String jceAlgorithm) {
        this.ikeId = ikeId;
        this.keyLength = keyLength;
        this.blockSize = blockSize;
        this.jceAlgorithm = jceAlgorithm;
        this.cipher = ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance(jceAlgorithm + "/CBC/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks " + jceAlgorithm + "/CBC/NoPadding", e);
            }
        });
    }

    static Optional<IkeCipher> fromIke(int algorithmId, int keyLengthBits) {
        for (JceCbcCipher c : values()) {
            if (c.ikeId != algorithmId) {
                continue;
            }
            boolean fixedKey = c.jceAlgorithm.startsWith("DES");
            if (keyLengthBits == c.keyLength * 8 || (fixedKey && keyLengthBits == 0)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public int ikeId() {
        return ikeId;
    }

    @Override
    public int keyLength() {
        return keyLength;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext) throws CryptoException {
        return run(Cipher.ENCRYPT_MODE, key, iv, plaintext);
    }

    @Override
    public byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext) throws CryptoException {
        return run(Cipher.DECRYPT_MODE, key, iv, ciphertext);
    }

    private byte[] run(int mode, byte[] key, byte[] iv, byte[] input) throws CryptoException {
        if (key.length != keyLength) {
            throw new CryptoException(CryptoException.Reason.INVALID_KEY,
                    this + " needs a " + keyLength + "-byte key, got " + key.length);
        }
        if (iv.length != blockSize) {
            throw new CryptoException(CryptoException.Reason.INVALID_KEY,
                    this + " needs a " + blockSize + "-byte IV, got " + iv.length);
        }
        if (input.length == 0 || input.length % blockSize != 0) {
            throw new CryptoException(CryptoException.Reason.INVALID_LENGTH,
                    this + " input of " + input.length + " bytes is not a whole number of " + blockSize
                            + "-byte blocks");
        }
        Cipher cipher = this.cipher.get();
        try {
            cipher.init(mode, new SecretKeySpec(key, jceAlgorithm), new IvParameterSpec(iv));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new CryptoException(CryptoException.Reason.INVALID_KEY, this + " refused the key", e);
        }
        try {
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // Unreachable with NoPadding and whole blocks, which we checked above.
            throw new CryptoException(CryptoException.Reason.INVALID_LENGTH, this + " failed", e);
        }
    }
}
