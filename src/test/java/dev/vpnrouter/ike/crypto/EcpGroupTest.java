package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpnrouter.common.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EcpGroupTest {
    static List<EcpGroup> groups() {
        return List.of(EcpGroup.ECP_256, EcpGroup.ECP_384, EcpGroup.ECP_521);
    }

    /** RFC 5903 §8.1: 256-bit random ECP group, with the KE payload data as the RFC prints it (x | y). */
    @Test
    void rfc5903Group19() throws CryptoException {
        DhKeyPair i = EcpGroup.ECP_256.keyPairFromPrivate(
                Hex.decode("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"));
        DhKeyPair r = EcpGroup.ECP_256.keyPairFromPrivate(
                Hex.decode("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"));
        assertThat(Hex.of(i.publicValue())).isEqualToIgnoringCase(
                "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
                        + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3");
        assertThat(Hex.of(r.publicValue())).isEqualToIgnoringCase(
                "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
                        + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB");
        String girx = "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE";
        assertThat(Hex.of(i.sharedSecret(r.publicValue()))).isEqualToIgnoringCase(girx);
        assertThat(Hex.of(r.sharedSecret(i.publicValue()))).isEqualToIgnoringCase(girx);
    }

    /** RFC 5903 §8.2: 384-bit random ECP group. */
    @Test
    void rfc5903Group20() throws CryptoException {
        DhKeyPair i = EcpGroup.ECP_384.keyPairFromPrivate(Hex.decode(
                "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194"));
        DhKeyPair r = EcpGroup.ECP_384.keyPairFromPrivate(Hex.decode(
                "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC"));
        assertThat(Hex.of(i.publicValue())).isEqualToIgnoringCase(
                "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA"
                        + "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C");
        assertThat(Hex.of(r.publicValue())).isEqualToIgnoringCase(
                "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571"
                        + "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C");
        String girx = "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746";
        assertThat(Hex.of(i.sharedSecret(r.publicValue()))).isEqualToIgnoringCase(girx);
        assertThat(Hex.of(r.sharedSecret(i.publicValue()))).isEqualToIgnoringCase(girx);
    }

    /** RFC 5903 §8.3: 521-bit random ECP group; coordinates and secret are 66 bytes. */
    @Test
    void rfc5903Group21() throws CryptoException {
        DhKeyPair i = EcpGroup.ECP_521.keyPairFromPrivate(Hex.decode(
                "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A095AA85A30FE1C2952C6771D937BA9777"
                        + "F5957B2639BAB072462F68C27A57382D4A52"));
        DhKeyPair r = EcpGroup.ECP_521.keyPairFromPrivate(Hex.decode(
                "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E9C677D600B343757A3BDBF2A3163E4C2"
                        + "F869CCA7458AA4A4EFFC311F5CB151685EB9"));
        assertThat(i.publicValue()).hasSize(132);
        String girx = "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04D1427E73CA4BAA240A34786859810C06"
                + "B3C715A3A8CC3151F2BEE417996D19F3DDEA";
        assertThat(Hex.of(i.sharedSecret(r.publicValue()))).isEqualToIgnoringCase(girx);
        assertThat(Hex.of(r.sharedSecret(i.publicValue()))).isEqualToIgnoringCase(girx);
    }

    @ParameterizedTest
    @MethodSource("groups")
    void generatedPairsAgreeAndAreReproducible(EcpGroup group) throws CryptoException {
        DhKeyPair a = group.generateKeyPair(TestRandom.seeded(1));
        DhKeyPair b = group.generateKeyPair(TestRandom.seeded(2));
        assertThat(a.publicValue()).hasSize(group.publicValueLength()).isEqualTo(
                group.generateKeyPair(TestRandom.seeded(1)).publicValue());
        group.validatePublicValue(a.publicValue());
        assertThat(a.sharedSecret(b.publicValue())).hasSize(group.sharedSecretLength())
                .isEqualTo(b.sharedSecret(a.publicValue()));
    }

    @ParameterizedTest
    @MethodSource("groups")
    void rejectsInvalidPeerValues(EcpGroup group) {
        DhKeyPair ours = group.generateKeyPair(TestRandom.seeded(3));
        byte[] valid = group.generateKeyPair(TestRandom.seeded(4)).publicValue();
        int n = group.fieldLength();

        byte[] offCurve = valid.clone();
        offCurve[offCurve.length - 1] ^= 1;
        assertInvalid(() -> ours.sharedSecret(offCurve));
        assertInvalid(() -> group.validatePublicValue(offCurve));

        byte[] withPrefix = Bytes.concat(new byte[] {4}, valid); // SEC1 form is not IKE's
        assertInvalid(() -> ours.sharedSecret(withPrefix));
        assertInvalid(() -> ours.sharedSecret(Arrays.copyOf(valid, valid.length - 1)));
        assertInvalid(() -> ours.sharedSecret(new byte[2 * n]));

        byte[] xAllOnes = valid.clone();
        Arrays.fill(xAllOnes, 0, n, (byte) 0xff);
        assertInvalid(() -> ours.sharedSecret(xAllOnes));

        // P-521's 66-byte coordinates have spare bits, so x + p fits: it satisfies the curve equation mod p
        // and must still be refused as unreduced.
        if (group == EcpGroup.ECP_521) {
            BigInteger p = BigInteger.TWO.pow(521).subtract(BigInteger.ONE);
            byte[] unreduced = Bytes.concat(Bytes.fixedLength(new BigInteger(1, valid, 0, n).add(p), n),
                    Arrays.copyOfRange(valid, n, 2 * n));
            assertInvalid(() -> ours.sharedSecret(unreduced));
        }
    }

    @Test
    void rejectsOutOfRangePrivateValues() {
        assertThatThrownBy(() -> EcpGroup.ECP_256.keyPairFromPrivate(new byte[32]))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_PRIVATE_VALUE));
        byte[] tooBig = new byte[32];
        Arrays.fill(tooBig, (byte) 0xff);
        assertThatThrownBy(() -> EcpGroup.ECP_256.keyPairFromPrivate(tooBig)).isInstanceOf(CryptoException.class);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_PUBLIC_VALUE));
    }
}
