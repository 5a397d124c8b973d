package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpnrouter.common.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 2409 rules the seed capture does not exercise (it is 3DES/SHA1 without PFS): key expansion for other
 * cipher/hash pairs, KEYMAT with PFS, IV chains for AES. The capture tests cover the common path byte for byte.
 */
class IkeSaKeysTest {
    private static final byte[] ICKY = Hex.decode("0102030405060708");
    private static final byte[] RCKY = Hex.decode("1112131415161718");
    private static final byte[] NI = bytes("initiator nonce, long enough....");
    private static final byte[] NR = bytes("responder nonce, long enough....");
    private static final byte[] GXY = new byte[128];

    static {
        Arrays.fill(GXY, (byte) 0x5a);
    }

    private static IkeSaKeys keys(HashAlgorithm hash, IkeCipher cipher) {
        return IkeSaKeys.fromPreSharedKey(hash.prf(), hash, cipher, bytes("secret"), NI, NR, GXY, ICKY, RCKY);
    }

    @Test
    void md5WithAes256ExpandsSkeyidEWithAppendixB() {
        IkeSaKeys k = keys(HashAlgorithm.MD5, JceCbcCipher.AES_256_CBC);
        byte[] e = k.skeyidE();
        assertThat(e).hasSize(16);
        byte[] k1 = HmacPrf.HMAC_MD5.compute(e, new byte[] {0});
        byte[] k2 = HmacPrf.HMAC_MD5.compute(e, k1);
        assertThat(k.encryptionKey()).hasSize(32).isEqualTo(Bytes.concat(k1, k2));
        // AES-192 takes the first 24 bytes of the same stream
        assertThat(keys(HashAlgorithm.MD5, JceCbcCipher.AES_192_CBC).encryptionKey())
                .isEqualTo(Arrays.copyOf(Bytes.concat(k1, k2), 24));
    }

    @Test
    void longSkeyidEIsTruncatedNotExpanded() {
        IkeSaKeys k = keys(HashAlgorithm.SHA2_256, JceCbcCipher.AES_128_CBC);
        assertThat(k.encryptionKey()).isEqualTo(Arrays.copyOf(k.skeyidE(), 16));
        IkeSaKeys sha1Aes = keys(HashAlgorithm.SHA1, JceCbcCipher.AES_128_CBC);
        assertThat(sha1Aes.encryptionKey()).isEqualTo(Arrays.copyOf(sha1Aes.skeyidE(), 16));
    }

    @Test
    void skeyidChainFollowsSection5() {
        IkeSaKeys k = keys(HashAlgorithm.SHA2_512, JceCbcCipher.AES_256_CBC);
        Prf prf = HmacPrf.HMAC_SHA2_512;
        byte[] skeyid = prf.compute(bytes("secret"), Bytes.concat(NI, NR));
        assertThat(k.skeyid()).isEqualTo(skeyid).isEqualTo(IkeSaKeys.skeyidPreSharedKey(prf, bytes("secret"), NI, NR));
        byte[] d = prf.compute(skeyid, Bytes.concat(GXY, ICKY, RCKY, new byte[] {0}));
        byte[] a = prf.compute(skeyid, Bytes.concat(d, GXY, ICKY, RCKY, new byte[] {1}));
        byte[] e = prf.compute(skeyid, Bytes.concat(a, GXY, ICKY, RCKY, new byte[] {2}));
        assertThat(k.skeyidD()).isEqualTo(d);
        assertThat(k.skeyidA()).isEqualTo(a);
        assertThat(k.skeyidE()).isEqualTo(e);
    }

    @Test
    void keymatWithAndWithoutPfs() {
        IkeSaKeys k = keys(HashAlgorithm.SHA1, JceCbcCipher.AES_256_CBC);
        byte[] spi = Hex.decode("c0ffee01");
        byte[] gqm = new byte[256];
        Arrays.fill(gqm, (byte) 7);
        byte[] seedPfs = Bytes.concat(gqm, new byte[] {3}, spi, NI, NR);
        byte[] k1 = HmacPrf.HMAC_SHA1.compute(k.skeyidD(), seedPfs);
        byte[] k2 = HmacPrf.HMAC_SHA1.compute(k.skeyidD(), k1, seedPfs);
        byte[] k3 = HmacPrf.HMAC_SHA1.compute(k.skeyidD(), k2, seedPfs);
        // AES-256 + HMAC-SHA1: 32 + 20 bytes
        byte[] withPfs = k.keymat(3, spi, NI, NR, gqm, 52);
        assertThat(withPfs).isEqualTo(Arrays.copyOf(Bytes.concat(k1, k2, k3), 52));
        byte[] withoutPfs = k.keymat(3, spi, NI, NR, null, 52);
        assertThat(Arrays.copyOf(withoutPfs, 20))
                .isEqualTo(HmacPrf.HMAC_SHA1.compute(k.skeyidD(), Bytes.concat(new byte[] {3}, spi, NI, NR)));
        assertThat(withoutPfs).isNotEqualTo(withPfs);
        // a shorter request is a prefix; the other direction's SPI gives other keys
        assertThat(k.keymat(3, spi, NI, NR, gqm, 16)).isEqualTo(Arrays.copyOf(withPfs, 16));
        assertThat(k.keymat(3, Hex.decode("c0ffee02"), NI, NR, gqm, 52)).isNotEqualTo(withPfs);
    }

    @Test
    void encryptDecryptRoundTripAdvancesTheChainOnLastCipherBlock() throws CryptoException {
        IkeSaKeys k = keys(HashAlgorithm.SHA2_256, JceCbcCipher.AES_128_CBC);
        byte[] gxi = bytes("g^xi");
        byte[] gxr = bytes("g^xr");
        IvChain start = k.phase1Iv(gxi, gxr);
        assertThat(start.iv()).isEqualTo(Arrays.copyOf(HashAlgorithm.SHA2_256.digest(gxi, gxr), 16));

        byte[] body = bytes("an ISAKMP body of 37 bytes, unpadded");
        IkeSaKeys.Encrypted sent = k.encrypt(start, body);
        assertThat(sent.ciphertext()).hasSize(48);
        assertThat(sent.next().iv()).isEqualTo(Arrays.copyOfRange(sent.ciphertext(), 32, 48));

        IkeSaKeys.Decrypted received = k.decrypt(start, sent.ciphertext());
        assertThat(Arrays.copyOf(received.plaintext(), body.length)).isEqualTo(body);
        assertThat(Arrays.copyOfRange(received.plaintext(), body.length, 48)).containsOnly(0);
        assertThat(received.next()).isEqualTo(sent.next());
        // the chain is a value: the start is unchanged, so a failed message can be forgotten
        assertThat(start).isEqualTo(k.phase1Iv(gxi, gxr));
    }

    @Test
    void messageIvHashesTheLastPhase1BlockWithTheMessageId() {
        IkeSaKeys k = keys(HashAlgorithm.MD5, JceCbcCipher.AES_128_CBC);
        IvChain phase1 = IvChain.of(Hex.decode("00112233445566778899aabbccddeeff"));
        int mid = 0x8badf00d;
        assertThat(k.messageIv(phase1, mid).iv()).isEqualTo(
                HashAlgorithm.MD5.digest(Hex.decode("00112233445566778899aabbccddeeff8badf00d")));
        assertThat(k.messageIv(phase1, mid)).isNotEqualTo(k.messageIv(phase1, mid + 1));
    }

    @Test
    void malformedCiphertextIsATypedError() {
        IkeSaKeys k = keys(HashAlgorithm.SHA1, JceCbcCipher.TRIPLE_DES_CBC);
        IvChain chain = IvChain.of(new byte[8]);
        assertThatThrownBy(() -> k.decrypt(chain, new byte[13])).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_LENGTH));
        assertThatThrownBy(() -> k.decrypt(chain, new byte[0])).isInstanceOf(CryptoException.class);
    }

    @Test
    void cookiesMustBeEightBytes() {
        assertThatThrownBy(() -> IkeSaKeys.fromPreSharedKey(HmacPrf.HMAC_SHA1, HashAlgorithm.SHA1,
                JceCbcCipher.AES_128_CBC, bytes("k"), NI, NR, GXY, new byte[7], RCKY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void natDetectionHashesCookiesAddressAndPort() {
        byte[] h = NatDetection.hash(HashAlgorithm.SHA2_256, ICKY, RCKY, 0xc0000202, 4500);
        // 192.0.2.2 port 4500 (0x1194)
        assertThat(h).isEqualTo(HashAlgorithm.SHA2_256.digest(ICKY, RCKY, Hex.decode("c00002021194")));
        assertThatThrownBy(() -> NatDetection.hash(HashAlgorithm.SHA1, ICKY, RCKY, 0, 65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
