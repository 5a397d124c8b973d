package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpnrouter.common.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class IkeCipherTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // RFC 3602 §4 cases 1-4 (AES-128-CBC)
        "rfc3602-1, AES_128_CBC, 06a9214036b8a15b512e03d534120006, 3dafba429d9eb430b422da802c9fac41,"
                + " 53696e676c6520626c6f636b206d7367, e353779c1079aeb82708942dbe77181a",
        "rfc3602-2, AES_128_CBC, c286696d887c9aa0611bbb3e2025a45a, 562e17996d093d28ddb3ba695a2e6f58,"
                + " 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,"
                + " d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1",
        "rfc3602-3, AES_128_CBC, 6c3ea0477630ce21a2ce334aa746c2cd, c782dc4c098c66cbd9cd27d825682c81,"
                + " 5468697320697320612034382d62797465206d657373616765202865786163746c7920332041455320626c6f636b7329,"
                + " d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c19216bad525c8579695d83ba2684",
        "rfc3602-4, AES_128_CBC, 56e47a38c5598974bc46903dba290349, 8ce82eefbea0da3c44699ed7db51b7d9,"
                + " a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf,"
                + " c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55",
        // NIST SP 800-38A F.2.3 / F.2.5 (first two blocks)
        "sp800-38a-192, AES_192_CBC, 8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b, 000102030405060708090a0b0c0d0e0f,"
                + " 6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51,"
                + " 4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a",
        "sp800-38a-256, AES_256_CBC, 603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4,"
                + " 000102030405060708090a0b0c0d0e0f, 6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51,"
                + " f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d",
        // FIPS 81 Appendix C (DES-CBC, "Now is the time for all ")
        "fips81, DES_CBC, 0123456789abcdef, 1234567890abcdef, 4e6f77206973207468652074696d6520666f7220616c6c20,"
                + " e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6",
        // 3DES with K1 = K2 = K3 is single DES: the same FIPS 81 vector (the capture tests real 3-key 3DES).
        "3des-as-des, TRIPLE_DES_CBC, 0123456789abcdef0123456789abcdef0123456789abcdef, 1234567890abcdef,"
                + " 4e6f77206973207468652074696d6520666f7220616c6c20, e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6",
    })
    void publicVectors(String name, JceCbcCipher cipher, String key, String iv, String plain, String expected)
            throws CryptoException {
        byte[] ciphertext = cipher.encrypt(Hex.decode(key), Hex.decode(iv), Hex.decode(plain));
        assertThat(Hex.of(ciphertext)).isEqualTo(expected);
        assertThat(Hex.of(cipher.decrypt(Hex.decode(key), Hex.decode(iv), ciphertext))).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(JceCbcCipher.class)
    void rejectsBadLengthsWithTypedErrors(JceCbcCipher cipher) {
        byte[] key = new byte[cipher.keyLength()];
        byte[] iv = new byte[cipher.blockSize()];
        assertThatThrownBy(() -> cipher.decrypt(key, iv, new byte[cipher.blockSize() + 1]))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_LENGTH));
        assertThatThrownBy(() -> cipher.decrypt(key, iv, new byte[0]))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_LENGTH));
        assertThatThrownBy(() -> cipher.encrypt(new byte[cipher.keyLength() - 1], iv, new byte[cipher.blockSize()]))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_KEY));
        assertThatThrownBy(() -> cipher.encrypt(key, new byte[cipher.blockSize() + 1], new byte[cipher.blockSize()]))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_KEY));
    }

    @Test
    void mapsPhase1TransformAttributes() {
        assertThat(IkeCipher.fromIke(1, 0)).contains(JceCbcCipher.DES_CBC);
        assertThat(IkeCipher.fromIke(5, 0)).contains(JceCbcCipher.TRIPLE_DES_CBC);
        assertThat(IkeCipher.fromIke(5, 192)).contains(JceCbcCipher.TRIPLE_DES_CBC);
        assertThat(IkeCipher.fromIke(5, 128)).isEmpty();
        assertThat(IkeCipher.fromIke(7, 128)).contains(JceCbcCipher.AES_128_CBC);
        assertThat(IkeCipher.fromIke(7, 192)).contains(JceCbcCipher.AES_192_CBC);
        assertThat(IkeCipher.fromIke(7, 256)).contains(JceCbcCipher.AES_256_CBC);
        assertThat(IkeCipher.fromIke(7, 0)).as("AES needs a key length (RFC 3602)").isEmpty();
        assertThat(IkeCipher.fromIke(7, 64)).isEmpty();
        assertThat(IkeCipher.fromIke(2, 0)).as("IDEA").isEmpty();
    }

    @Test
    void paddingAddsOneToBlockSizeZeroBytes() {
        byte[] body = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(Hex.of(IkePadding.pad(body, 8))).isEqualTo("6162630000000000");
        assertThat(IkePadding.pad(new byte[7], 8)).hasSize(8);
        // Already aligned: a whole block of zeros, as strongSwan does (MM5 of the seed capture).
        assertThat(IkePadding.pad(new byte[16], 16)).hasSize(32);
        assertThat(IkePadding.pad(new byte[0], 16)).hasSize(16);
    }
}
