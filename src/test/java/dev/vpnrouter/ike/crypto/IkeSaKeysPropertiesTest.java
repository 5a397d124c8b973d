package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class IkeSaKeysPropertiesTest {
    private static final byte[] COOKIE_I = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] COOKIE_R = {8, 7, 6, 5, 4, 3, 2, 1};

    /** Whatever the suite and body, the receiver gets the body back (plus zero padding) and the same next IV. */
    @Property(tries = 200)
    void encryptThenDecryptIsIdentityOnTheChain(@ForAll JceCbcCipher cipher, @ForAll HashAlgorithm hash,
            @ForAll @Size(max = 300) byte[] body, @ForAll @Size(min = 1, max = 64) byte[] psk, @ForAll int messageId)
            throws CryptoException {
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
    @Property(tries = 100)
    void keymatIsAPrefixStream(@ForAll HashAlgorithm hash, @ForAll @Size(min = 1, max = 200) byte[] nonce,
            @ForAll @Size(min = 4, max = 4) byte[] spi) {
        IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(hash.prf(), hash, JceCbcCipher.AES_128_CBC, nonce, nonce, nonce,
                nonce, COOKIE_I, COOKIE_R);
        byte[] longKeymat = keys.keymat(3, spi, nonce, nonce, null, 100);
        for (int length : new int[] {1, 16, 20, 36, 52, 64}) {
            assertThat(keys.keymat(3, spi, nonce, nonce, null, length)).isEqualTo(Arrays.copyOf(longKeymat, length));
        }
    }
}
