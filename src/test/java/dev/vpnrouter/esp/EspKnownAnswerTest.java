package dev.vpnrouter.esp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpnrouter.common.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known answers from RFCs and drafts, byte for byte. */
class EspKnownAnswerTest {

    private static final EspTransform AES128 = EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.NONE);

    /**
     * RFC 3602 section 4, cases 5-8: complete ESP packets (AES-128-CBC, no authentication).
     * Cases 5 and 6 carry ICMP in transport mode (next header 1), 7 and 8 an IPv4 packet in
     * tunnel mode (next header 4).
     */
    @ParameterizedTest(name = "RFC 3602 case {0}")
    @CsvSource({
        "5, 90d382b410eeba7ad938c46cec1a82bf, 00004321, 1, 1, e96e8c08ab465763fd098d45dd3ff893,"
            + " 08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f3031323334353637,"
            + " 0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b"
            + "9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add0"
            + "47ad2d5913ac19b7cfbad4a6",
        "6, 90d382b410eeba7ad938c46cec1a82bf, 00004321, 8, 1, 69d08df7d203329db093fc4924e5bd80,"
            + " 0800b5e8a80a0500a69c083d0b660e00777777777777777777777777,"
            + " 000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d7"
            + "50c0d915dca346a89f75",
        "7, 0123456789abcdef0123456789abcdef, 00008765, 2, 4, f4e765244f6407adf13dc1380f673f37,"
            + " 45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f1011"
            + "12131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637,"
            + " 0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a"
            + "93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132"
            + "ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d",
        "8, 0123456789abcdef0123456789abcdef, 00008765, 5, 4, 85d47224b5f3dd5d2101d4ea8dffab22,"
            + " 45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffff"
            + "ffffffffffffffffffffffffffffffffffffffffffff,"
            + " 000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a"
            + "0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b"
            + "5ef6affc6d17a0decbb13892",
    })
    void rfc3602EspPackets(int testCase, String key, String spiHex, long seq, int nextHeader, String iv,
            String payload, String packet) {
        int spi = Integer.parseUnsignedInt(spiHex, 16);
        EspOutboundSa out = EspOutboundSa.builder(spi, AES128, Hex.decode(key)).initialSequence(seq).build();
        out.forceIvForTest(Hex.decode(iv));
        byte[] inner = Hex.decode(payload);
        byte[] sealed = new byte[AES128.sealedLength(inner.length)];
        assertThat(out.seal(inner, 0, inner.length, sealed, 0, nextHeader)).isEqualTo(sealed.length);
        assertThat(Hex.of(sealed)).isEqualTo(Hex.of(Hex.decode(packet)));

        EspInboundSa in = EspInboundSa.builder(spi, AES128, Hex.decode(key)).build();
        EspOpenResult opened = in.open(Hex.decode(packet));
        if (nextHeader == 4) {
            assertThat(opened).isInstanceOf(EspOpenResult.Opened.class);
            assertThat(((EspOpenResult.Opened) opened).inner()).isEqualTo(inner);
            assertThat(((EspOpenResult.Opened) opened).nextHeader()).isEqualTo(4);
        } else {
            // Tunnel mode carries only IP: transport-mode ICMP is refused after a clean decrypt.
            assertThat(opened).isEqualTo(new EspOpenResult.Dropped(EspDropReason.BAD_NEXT_HEADER));
        }
    }

    /**
     * AES-GCM ESP packets from draft-mcgrew-gcm-test-01 (the test cases for RFC 4106): key and
     * salt, SPI, sequence number (case 1 uses ESN), explicit IV, the ESP payload with its
     * trailer, and ciphertext || 16-byte ICV.
     */
    @ParameterizedTest(name = "draft-mcgrew-gcm-test-01 case {0}")
    @CsvSource({
        "1, 4c80cdefbb5d10da906ac73c3613a634, 2e443b68, 00004321, 8765432100000000, true, 4956ed7e3b244cfe,"
            + " 45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470"
            + "037369700963796265726369747902646b000021000101020201,"
            + " fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a1"
            + "3c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732459018148f6cbe722fd04796562dfdb4",
        "2, feffe9928665731c6d6a8f9467308308feffe9928665731c, cafebabe, 0000a5f8, 000000000000000a, false,"
            + " facedbaddecaf888,"
            + " 45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d075680001,"
            + " a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc7795457b965203"
            + "7f5318027b5b4cd7a636",
        "3, abbccddef00112233445566778899aababbccddef00112233445566778899aab, 11223344, 4a2cbfe3,"
            + " 0000000000000002, false, 0102030405060708,"
            + " 4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b401"
            + "01040201020201,"
            + " ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14"
            + "e99def842d8eb335f4eecfdbf831824b4c4915956c96",
        "4, 00000000000000000000000000000000, 00000000, 00000000, 0000000000000001, false, 0000000000000000,"
            + " 4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f70717273"
            + "7475767761626364656667686901020201,"
            + " 4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1"
            + "d894bc3bd57873ed4d181d19d4d5c8c18af3f821d496eeb096e98ad2b69e4799c71d",
    })
    void gcmEspPackets(int testCase, String key, String salt, String spiHex, String seqHex, boolean esn, String iv,
            String plaintext, String ciphertextAndTag) {
        byte[] keymat = Hex.decode(key + salt);
        EspTransform t = EspTransform.gcm(EspCipher.AES_GCM_16, keymat.length * 8 - 32);
        int spi = Integer.parseUnsignedInt(spiHex, 16);
        long seq = Long.parseUnsignedLong(seqHex, 16);
        byte[] payload = Hex.decode(plaintext);
        int nextHeader = payload[payload.length - 1] & 0xFF;
        int padLength = payload[payload.length - 2] & 0xFF;
        byte[] inner = Arrays.copyOf(payload, payload.length - 2 - padLength);
        byte[] expected = concat(Hex.decode(spiHex), intBytes((int) seq), Hex.decode(iv), Hex.decode(ciphertextAndTag));

        EspOutboundSa out = EspOutboundSa.builder(spi, t, keymat).esn(esn).initialSequence(seq).build();
        out.forceIvForTest(Hex.decode(iv));
        byte[] sealed = new byte[t.sealedLength(inner.length)];
        assertThat(out.seal(inner, 0, inner.length, sealed, 0, nextHeader)).isEqualTo(expected.length);
        assertThat(Hex.of(sealed)).isEqualTo(Hex.of(expected));

        // Opening authenticates and decrypts; these payloads carry next header 1 (not tunnel
        // mode), so the packet is refused only after the plaintext checked out byte for byte.
        EspInboundSa in = EspInboundSa.builder(spi, t, keymat).esn(esn).build();
        if (Long.compareUnsigned(seq, 1) > 0) {
            in.replayWindow().update(seq - 1);
        }
        byte[] decrypted = new byte[payload.length];
        int result = in.open(expected, 0, expected.length, decrypted, 0);
        assertThat(EspDropReason.fromCode(result)).isEqualTo(EspDropReason.BAD_NEXT_HEADER);
        assertThat(Hex.of(decrypted)).isEqualTo(Hex.of(payload));
        assertThat(in.counters().authFailures()).isZero();
    }

    /** The 8-byte ICV is the prefix of the full GCM tag; our own GHASH must agree with JCE's. */
    @Test
    void gcmEightByteIcvIsTheTagPrefix() {
        byte[] keymat = Hex.decode("feffe9928665731c6d6a8f9467308308feffe9928665731c" + "cafebabe");
        EspTransform t8 = EspTransform.gcm(EspCipher.AES_GCM_8, 192);
        byte[] inner = Hex.decode("45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d07568");
        EspOutboundSa out = EspOutboundSa.builder(0xa5f8, t8, keymat).initialSequence(10).build();
        out.forceIvForTest(Hex.decode("facedbaddecaf888"));
        byte[] sealed = new byte[t8.sealedLength(inner.length)];
        out.seal(inner, 0, inner.length, sealed, 0, 1);
        assertThat(Hex.of(Arrays.copyOfRange(sealed, 16, sealed.length)))
                .isEqualTo("a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc77"
                        + "95457b9652037f53");
        EspInboundSa in = EspInboundSa.builder(0xa5f8, t8, keymat).build();
        byte[] plain = new byte[40];
        assertThat(EspDropReason.fromCode(in.open(sealed, 0, sealed.length, plain, 0)))
                .isEqualTo(EspDropReason.BAD_NEXT_HEADER);
        assertThat(Arrays.copyOf(plain, inner.length)).isEqualTo(inner);
    }

    /** HMAC known answers (RFC 2202 and RFC 4231 test case 2), truncated as ESP sends them. */
    @ParameterizedTest
    @CsvSource({
        "HMAC_MD5_96, 750c783e6ab0b503eaa86e310a5db738",
        "HMAC_SHA1_96, effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        "HMAC_SHA256_128, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "HMAC_SHA384_192, af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
            + "8e2240ca5e69e2c78b3239ecfab21649",
        "HMAC_SHA512_256, 164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    })
    void hmacKnownAnswers(EspIntegrity integrity, String fullMac) throws Exception {
        Mac mac = Mac.getInstance(integrity.jceName());
        mac.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), integrity.jceName()));
        byte[] full = mac.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(Hex.of(full)).isEqualTo(fullMac);
        // RFC 2403/2404 send 96 bits; RFC 4868 sends half the output.
        int expectedIcv = integrity == EspIntegrity.HMAC_MD5_96 || integrity == EspIntegrity.HMAC_SHA1_96
                ? 12 : full.length / 2;
        assertThat(integrity.icvLength()).isEqualTo(expectedIcv);
        assertThat(integrity.keyLength()).isEqualTo(mac.getMacLength());
    }

    /**
     * An ESP packet built here by hand with JCE (3DES-CBC, HMAC-SHA1-96, the seed's transform)
     * must be byte-identical to what the engine seals with the same IV, and must open.
     */
    @Test
    void tripleDesSha1PacketMatchesAnIndependentConstruction() throws Exception {
        EspTransform t = EspTransform.of(EspCipher.DES3_CBC, 192, EspIntegrity.HMAC_SHA1_96);
        byte[] keymat = EspFixtures.keymat(t, 2404);
        byte[] iv = Hex.decode("0123456789abcdef");
        byte[] inner = EspFixtures.ipv4(61, new java.util.Random(5));
        // payload: inner || 1 2 3 5(pad) ... aligned to 8: 61 + 2 = 63 -> 64, so 1 pad byte.
        byte[] plain = concat(inner, new byte[] {1, 1, 4});
        Cipher des = Cipher.getInstance("DESede/CBC/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(t.encryptionKey(keymat), "DESede"), new IvParameterSpec(iv));
        byte[] header = concat(intBytes(0x5FBE5408), intBytes(1), iv, des.doFinal(plain));
        Mac sha1 = Mac.getInstance("HmacSHA1");
        sha1.init(new SecretKeySpec(t.integrityKey(keymat), "HmacSHA1"));
        byte[] expected = concat(header, Arrays.copyOf(sha1.doFinal(header), 12));

        EspOutboundSa out = EspOutboundSa.builder(0x5FBE5408, t, keymat).build();
        out.forceIvForTest(iv);
        byte[] sealed = ((EspSealResult.Sealed) out.seal(inner)).packet();
        assertThat(Hex.of(sealed)).isEqualTo(Hex.of(expected));
        EspInboundSa in = EspInboundSa.builder(0x5FBE5408, t, keymat).build();
        assertThat(((EspOpenResult.Opened) in.open(expected)).inner()).isEqualTo(inner);
    }

    /** Keying material split: encryption key, then GCM salt, then integrity key (as IOS and strongSwan). */
    @Test
    void keymatSplit() {
        byte[] keymat = new byte[64];
        for (int i = 0; i < keymat.length; i++) {
            keymat[i] = (byte) i;
        }
        EspTransform cbc = EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA1_96);
        assertThat(cbc.keymatLength()).isEqualTo(52);
        assertThat(cbc.encryptionKey(keymat)).isEqualTo(Arrays.copyOfRange(keymat, 0, 32));
        assertThat(cbc.integrityKey(keymat)).isEqualTo(Arrays.copyOfRange(keymat, 32, 52));
        EspTransform gcm = EspTransform.gcm(EspCipher.AES_GCM_16, 128);
        assertThat(gcm.keymatLength()).isEqualTo(20);
        assertThat(gcm.encryptionKey(keymat)).isEqualTo(Arrays.copyOfRange(keymat, 0, 16));
        assertThat(gcm.salt(keymat)).isEqualTo(Arrays.copyOfRange(keymat, 16, 20));
        EspTransform seed = EspTransform.of(EspCipher.DES3_CBC, 192, EspIntegrity.HMAC_SHA1_96);
        assertThat(seed.keymatLength()).isEqualTo(44);
        assertThat(seed.toString()).isEqualTo("esp-3des esp-sha-hmac");
    }

    static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
