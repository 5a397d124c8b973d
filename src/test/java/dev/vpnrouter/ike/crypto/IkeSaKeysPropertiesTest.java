package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vpnrouter.common.Hex;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IkeSaKeysPropertiesTest {
    private static final byte[] COOKIE_I = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] COOKIE_R = {8, 7, 6, 5, 4, 3, 2, 1};
    private static final JceCbcCipher[] CIPHERS = JceCbcCipher.values();
    private static final HashAlgorithm[] HASHES = HashAlgorithm.values();

    /** 200 cases: every cipher and hash pairing eight times. */
    static IntStream suiteSeeds() {
        return IntStream.range(0, 200);
    }

    /** 100 cases: every hash twenty times. */
    static IntStream keymatSeeds() {
        return IntStream.range(0, 100);
    }

    /** Whatever the suite and body, the receiver gets the body back (plus zero padding) and the same next IV. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("suiteSeeds")
    void encryptThenDecryptIsIdentityOnTheChain(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        JceCbcCipher cipher = CIPHERS[seed % CIPHERS.length];
        HashAlgorithm hash = HASHES[seed / CIPHERS.length % HASHES.length];
        byte[] body = bytes(r, 0, 300);
        byte[] psk = bytes(r, 1, 64);
        int messageId = r.nextInt();

        assertThatCode(() -> {
            IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(hash.prf(), hash, cipher, psk, psk, body, psk, COOKIE_I,
                    COOKIE_R);
            assertThat(keys.encryptionKey()).hasSize(cipher.keyLength());
            IvChain chain = keys.messageIv(keys.phase1Iv(psk, body), messageId);
            assertThat(chain.iv()).hasSize(cipher.blockSize());

            IkeSaKeys.Encrypted sent = keys.encrypt(chain, body);
            int padding = sent.ciphertext().length - body.length;
            assertThat(padding).as("padding").isBetween(1, cipher.blockSize());
            IkeSaKeys.Decrypted got = keys.decrypt(chain, sent.ciphertext());
            assertThat(Arrays.copyOf(got.plaintext(), body.length)).as("decrypted body").isEqualTo(body);
            assertThat(got.next()).as("next IV").isEqualTo(sent.next());
        }).as("seed %d: %s %s body=%s psk=%s messageId=%d", seed, cipher, hash, Hex.of(body), Hex.of(psk), messageId)
                .doesNotThrowAnyException();
    }

    /** KEYMAT of any length is a prefix of any longer KEYMAT for the same SA. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("keymatSeeds")
    void keymatIsAPrefixStream(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        HashAlgorithm hash = HASHES[seed % HASHES.length];
        byte[] nonce = bytes(r, 1, 200);
        byte[] spi = bytes(r, 4, 4);

        assertThatCode(() -> {
            IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(hash.prf(), hash, JceCbcCipher.AES_128_CBC, nonce, nonce,
                    nonce, nonce, COOKIE_I, COOKIE_R);
            byte[] longKeymat = keys.keymat(3, spi, nonce, nonce, null, 100);
            for (int length : new int[] {1, 16, 20, 36, 52, 64}) {
                assertThat(keys.keymat(3, spi, nonce, nonce, null, length)).as("length %d", length)
                        .isEqualTo(Arrays.copyOf(longKeymat, length));
            }
        }).as("seed %d: %s nonce=%s spi=%s", seed, hash, Hex.of(nonce), Hex.of(spi)).doesNotThrowAnyException();
    }

    /** Random bytes, {@code min} to {@code max} of them; the shortest and longest come up often. */
    private static byte[] bytes(SplittableRandom r, int min, int max) {
        int length = r.nextInt(8) == 0 ? (r.nextBoolean() ? min : max) : r.nextInt(min, max + 1);
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }
}
