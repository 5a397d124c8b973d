package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

class IkeSaKeysPropertiesTest {
    private static final byte[] COOKIE_I = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] COOKIE_R = {8, 7, 6, 5, 4, 3, 2, 1};

    /** Whatever the suite and body, the receiver gets the body back (plus zero padding) and the same next IV. */
    private static byte[] bytes(java.util.SplittableRandom r, int min, int max) {
        byte[] b = new byte[r.nextInt(min, max + 1)];
        r.nextBytes(b);
        return b;
    }

    @org.junit.jupiter.api.Test
    void encryptThenDecryptIsIdentityOnTheChain() throws CryptoException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            JceCbcCipher[] ciphers = JceCbcCipher.values();
            HashAlgorithm[] hashes = HashAlgorithm.values();
            encryptThenDecrypt(ciphers[r.nextInt(ciphers.length)], hashes[r.nextInt(hashes.length)],
                    bytes(r, 0, 300), bytes(r, 1, 64), r.nextInt());
        }
    }

    private static void encryptThenDecrypt(JceCbcCipher cipher, HashAlgorithm hash, byte[] body, byte[] psk,
            int messageId) throws CryptoException {
        IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(hash.prf(), hash, cipher, psk, psk, body, psk, COOKIE_I,
                COOKIE_R);
        assertThat(keys.encryptionKey()).hasSize(cipher.keyLength());
        IvChain chain = keys.messageIv(keys.phase1Iv(psk, body), messageId);
        assertThat(chain.iv()).hasSize(cipher.blockSize());

        IkeSaKeys.Encrypted sent = keys.encrypt(chain, body);
        int padding = sent.ciphertext().length - body.length;
        assertThat(padding).isBetween(1, cipher.blockSize());
        IkeSaKeys.Decrypted got = keys.decrypt(chain, sent.ciphertext());
        assertThat(Arrays.copyOf(got.plaintext(), body.length)).isEqualTo(body);
        assertThat(got.next()).isEqualTo(sent.next());
    }

    /** KEYMAT of any length is a prefix of any longer KEYMAT for the same SA. */
    @org.junit.jupiter.api.Test
    void keymatIsAPrefixStream() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(13);
        for (int i = 0; i < 1000; i++) {
            HashAlgorithm[] hashes = HashAlgorithm.values();
            keymatIsAPrefixStream(hashes[r.nextInt(hashes.length)], bytes(r, 1, 200), bytes(r, 4, 4));
        }
    }

    private static void keymatIsAPrefixStream(HashAlgorithm hash, byte[] nonce, byte[] spi) {
        IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(hash.prf(), hash, JceCbcCipher.AES_128_CBC, nonce, nonce, nonce,
                nonce, COOKIE_I, COOKIE_R);
        byte[] longKeymat = keys.keymat(3, spi, nonce, nonce, null, 100);
        for (int length : new int[] {1, 16, 20, 36, 52, 64}) {
            assertThat(keys.keymat(3, spi, nonce, nonce, null, length)).isEqualTo(Arrays.copyOf(longKeymat, length));
        }
    }
}
