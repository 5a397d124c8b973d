package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TripleDesTest {

    private static byte[] tripled(String desKey) {
        byte[] k = Hex.decode(desKey);
        byte[] key = new byte[24];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(k, 0, key, 8 * i, 8);
        }
        return key;
    }

    /** Single-DES known answers: with K1 = K2 = K3, EDE reduces to single DES. */
    @ParameterizedTest
    @CsvSource({
        // The worked example in Grabbe, "The DES Algorithm Illustrated".
        "133457799BBCDFF1, 0123456789ABCDEF, 85E813540F0AB405",
        // FIPS 81 appendix B, ECB: "Now is the time for all ".
        "0123456789abcdef, 4e6f772069732074, 3fa40e8a984d4815",
        "0123456789abcdef, 68652074696d6520, 6a271787ab8883f9",
        "0123456789abcdef, 666f7220616c6c20, 893d51ec4b563b53",
        // NBS SP 500-20 variable plaintext / key tests.
        "0101010101010101, 8000000000000000, 95F8A5E5DD31D900",
        "8001010101010101, 0000000000000000, 95A8D72813DAA94D",
        "0101010101010101, 0000000000000001, 166B40B44ABA4BD6",
    })
    void singleDesKnownAnswers(String key, String plain, String cipher) {
        TripleDes des = new TripleDes(tripled(key));
        long p = Long.parseUnsignedLong(plain, 16);
        long c = Long.parseUnsignedLong(cipher, 16);
        assertThat(Long.toHexString(des.encryptBlock(p))).isEqualTo(Long.toHexString(c));
        assertThat(des.decryptBlock(c)).isEqualTo(p);
    }

    /** SP 800-67 Rev. 1 appendix B example (three distinct keys, ECB). */
    @Test
    void sp80067Example() {
        TripleDes des = new TripleDes(Hex.decode("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123"));
        byte[] plain = "The qufck brown fox jump".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String expected = "a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900";
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 24; i += 8) {
            long block = java.nio.ByteBuffer.wrap(plain, i, 8).getLong();
            got.append(String.format("%016x", des.encryptBlock(block)));
        }
        assertThat(got.toString()).isEqualTo(expected);
    }

    @Test
    void cbcMatchesJdkDesedeOnRandomData() throws Exception {
        Random random = new Random(4303);
        for (int trial = 0; trial < 200; trial++) {
            byte[] key = new byte[24];
            byte[] iv = new byte[8];
            random.nextBytes(key);
            random.nextBytes(iv);
            byte[] plain = new byte[8 * (1 + random.nextInt(200))];
            random.nextBytes(plain);

            Cipher jdk = Cipher.getInstance("DESede/CBC/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DESede"), new IvParameterSpec(iv));
            byte[] expected = jdk.doFinal(plain);

            TripleDes ours = new TripleDes(key);
            ours.setIv(iv, 0);
            byte[] got = new byte[plain.length];
            ours.encryptCbc(plain, 0, plain.length, got, 0);
            assertThat(got).isEqualTo(expected);

            ours.setIv(iv, 0);
            byte[] back = new byte[plain.length];
            ours.decryptCbc(got, 0, got.length, back, 0);
            assertThat(back).isEqualTo(plain);
        }
    }

    @Test
    void chainingContinuesAcrossCallsAndWorksInPlace() {
        Random random = new Random(1);
        byte[] key = new byte[24];
        byte[] iv = new byte[8];
        byte[] plain = new byte[64];
        random.nextBytes(key);
        random.nextBytes(iv);
        random.nextBytes(plain);
        TripleDes des = new TripleDes(key);
        des.setIv(iv, 0);
        byte[] oneShot = new byte[64];
        des.encryptCbc(plain, 0, 64, oneShot, 0);

        des.setIv(iv, 0);
        byte[] buf = plain.clone();
        des.encryptCbc(buf, 0, 24, buf, 0);
        des.encryptCbc(buf, 24, 40, buf, 24);
        assertThat(buf).isEqualTo(oneShot);

        des.setIv(iv, 0);
        des.decryptCbc(buf, 0, 64, buf, 0);
        assertThat(buf).isEqualTo(plain);
    }
}
