package dev.vpnrouter.esp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of a CBC cipher whose chaining value persists between calls, so a packet never
 * needs a fresh {@code Cipher.init} (which allocates). Encrypting a block first yields an IV that
 * is the block cipher's output; decrypting re-synchronises by running the packet's IV through.
 */
abstract sealed class CbcEngine {

    abstract int blockSize();

    /** Continues the chain over whole blocks. */
    abstract void crypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws GeneralSecurityException;

    /** Makes {@code iv} the chaining value for the next {@link #crypt} call. */
    abstract void setIv(byte[] iv, int off) throws GeneralSecurityException;

    /** Zeroes the key material this engine owns; JCE's copy can only be dropped, not zeroed. */
    void destroy() {
    }

    static CbcEngine create(EspCipher cipher, byte[] key, boolean encrypt) {
        return switch (cipher) {
            case DES3_CBC -> new Des3(new TripleDes(key), encrypt);
            case AES_CBC -> new Jce("AES", key, encrypt);
            default -> throw new IllegalArgumentException(cipher + " is not a CBC cipher");
        };
    }

    /** JCE AES/CBC/NoPadding, initialised once. */
    static final class Jce extends CbcEngine {
        private final Cipher cipher;
        private final SecretKeySpec key;
        private final boolean encrypt;
        private final byte[] discard;

        Jce(String algorithm, byte[] keyBytes, boolean encrypt) {
            this.key = new SecretKeySpec(keyBytes, algorithm);
            this.encrypt = encrypt;
            try {
                this.cipher = Cipher.getInstance(algorithm + "/CBC/NoPadding");
                this.discard = new byte[cipher.getBlockSize()];
                cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key,
                        new IvParameterSpec(new byte[cipher.getBlockSize()]));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot set up " + algorithm + "-CBC: " + e.getMessage(), e);
            }
        }

        @Override
        int blockSize() {
            return discard.length;
        }

        @Override
        void crypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws ShortBufferException {
            int done = cipher.update(in, inOff, len, out, outOff);
            if (done != len) {
                throw new IllegalStateException("CBC update returned " + done + " of " + len + " bytes");
            }
        }

        @Override
        void setIv(byte[] iv, int off) throws GeneralSecurityException {
            if (encrypt) {
                // Only the known-answer tests force an IV on the sending side: slow path is fine.
                cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv, off, discard.length));
            } else {
                // After decrypting a block the chain holds that ciphertext block: the IV.
                cipher.update(iv, off, discard.length, discard, 0);
            }
        }
    }

    /** Our table-driven 3DES. */
    static final class Des3 extends CbcEngine {
        private final TripleDes des;
        private final boolean encrypt;

        Des3(TripleDes des, boolean encrypt) {
            this.des = des;
            this.encrypt = encrypt;
        }

        @Override
        void destroy() {
            des.destroy();
        }

        @Override
        int blockSize() {
            return TripleDes.BLOCK_SIZE;
        }

        @Override
        void crypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
            if (encrypt) {
                des.encryptCbc(in, inOff, len, out, outOff);
            } else if (in == out && outOff > inOff && outOff < inOff + len) {
                byte[] copy = java.util.Arrays.copyOfRange(in, inOff, inOff + len);
                des.decryptCbc(copy, 0, len, out, outOff);
            } else {
                des.decryptCbc(in, inOff, len, out, outOff);
            }
        }

        @Override
        void setIv(byte[] iv, int off) {
            des.setIv(iv, off);
        }
    }
}
