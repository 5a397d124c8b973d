package dev.vpnrouter.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModpGroupTest {
    static List<ModpGroup> groups() {
        return List.of(ModpGroup.MODP_768, ModpGroup.MODP_1024, ModpGroup.MODP_1536, ModpGroup.MODP_2048,
                ModpGroup.MODP_3072, ModpGroup.MODP_4096);
    }

    /**
     * RFC 2409 §6 and RFC 3526 define each prime as 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k). Recompute
     * them from pi so a typo in the hex constants cannot go unnoticed.
     */
    @Test
    void primesAreTheRfcFormulaOverPi() {
        Map<ModpGroup, int[]> nk = Map.of(ModpGroup.MODP_768, new int[] {768, 149686},
                ModpGroup.MODP_1024, new int[] {1024, 129093}, ModpGroup.MODP_1536, new int[] {1536, 741804},
                ModpGroup.MODP_2048, new int[] {2048, 124476}, ModpGroup.MODP_3072, new int[] {3072, 1690314},
                ModpGroup.MODP_4096, new int[] {4096, 240904});
        BigInteger piScaled = piTimesTwoTo(4096 - 130);
        for (var e : nk.entrySet()) {
            int n = e.getValue()[0];
            BigInteger floorPi = piScaled.shiftRight(4096 - n); // [2^(n-130) pi]
            BigInteger p = BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE.shiftLeft(n - 64))
                    .subtract(BigInteger.ONE)
                    .add(BigInteger.ONE.shiftLeft(64).multiply(floorPi.add(BigInteger.valueOf(e.getValue()[1]))));
            assertThat(e.getKey().prime()).as(e.getKey().name()).isEqualTo(p);
            assertThat(e.getKey().publicValueLength()).isEqualTo(n / 8);
        }
    }

    @ParameterizedTest
    @MethodSource("groups")
    void primesAreSafePrimes(ModpGroup group) {
        BigInteger p = group.prime();
        assertThat(p.isProbablePrime(16)).isTrue();
        assertThat(p.shiftRight(1).isProbablePrime(16)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("groups")
    void bothSidesAgree(ModpGroup group) throws CryptoException {
        DhKeyPair a = group.generateKeyPair(TestRandom.seeded(1));
        DhKeyPair b = group.generateKeyPair(TestRandom.seeded(2));
        assertThat(a.publicValue()).hasSize(group.publicValueLength());
        byte[] ab = a.sharedSecret(b.publicValue());
        assertThat(ab).hasSize(group.sharedSecretLength()).isEqualTo(b.sharedSecret(a.publicValue()));
        // the same seed gives the same key pair: simulations are reproducible
        assertThat(group.generateKeyPair(TestRandom.seeded(1)).publicValue()).isEqualTo(a.publicValue());
    }

    @Test
    void shortExponentByDefaultFullOnRequest() {
        assertThat(ModpGroup.MODP_1024.exponentBits()).isEqualTo(256);
        assertThat(ModpGroup.MODP_2048.exponentBits()).isEqualTo(256);
        assertThat(ModpGroup.MODP_3072.exponentBits()).isEqualTo(320);
        assertThat(ModpGroup.MODP_4096.exponentBits()).isEqualTo(384);
        for (int seed = 0; seed < 8; seed++) {
            ModpKeyPair shortPair = (ModpKeyPair) ModpGroup.MODP_1024.generateKeyPair(TestRandom.seeded(seed));
            assertThat(shortPair.privateExponentBits()).isBetween(200, 256);
            ModpKeyPair fullPair = (ModpKeyPair) ModpGroup.MODP_1024.withFullExponent()
                    .generateKeyPair(TestRandom.seeded(seed));
            assertThat(fullPair.privateExponentBits()).isBetween(1000, 1024);
        }
        ModpGroup full = ModpGroup.MODP_2048.withFullExponent();
        assertThat(full.exponentBits()).isZero();
        assertThat(full.id()).isEqualTo(14);
        assertThat(ModpGroup.MODP_2048.withExponentBits(512).exponentBits()).isEqualTo(512);
        assertThatThrownBy(() -> ModpGroup.MODP_2048.withExponentBits(128)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortAndFullExponentPairsInteroperate() throws CryptoException {
        DhKeyPair a = ModpGroup.MODP_1536.generateKeyPair(TestRandom.seeded(3));
        DhKeyPair b = ModpGroup.MODP_1536.withFullExponent().generateKeyPair(TestRandom.seeded(4));
        assertThat(a.sharedSecret(b.publicValue())).isEqualTo(b.sharedSecret(a.publicValue()));
    }

    @Test
    void publicAndSharedValuesAreLeftPadded() throws CryptoException {
        ModpGroup g = ModpGroup.MODP_1024;
        // x = 1: public value 2, sent as 127 zero bytes and 0x02
        DhKeyPair one = g.keyPairFromPrivate(new byte[] {1});
        byte[] expected = new byte[128];
        expected[127] = 2;
        assertThat(one.publicValue()).isEqualTo(expected);
        // x = 5 against peer value 2: shared secret 32, left-padded
        DhKeyPair five = g.keyPairFromPrivate(new byte[] {5});
        byte[] shared = five.sharedSecret(one.publicValue());
        assertThat(shared).hasSize(128);
        assertThat(new BigInteger(1, shared)).isEqualTo(BigInteger.valueOf(32));
        assertThat(shared[0]).isZero();
    }

    @ParameterizedTest
    @MethodSource("groups")
    void rejectsInvalidPeerValues(ModpGroup group) throws CryptoException {
        DhKeyPair ours = group.generateKeyPair(TestRandom.seeded(5));
        BigInteger p = group.prime();
        int len = group.publicValueLength();
        for (BigInteger bad : List.of(BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                BigInteger.ONE.shiftLeft(len * 8).subtract(BigInteger.ONE))) {
            byte[] value = Bytes.fixedLength(bad, len);
            assertInvalid(() -> group.validatePublicValue(value));
            assertInvalid(() -> ours.sharedSecret(value));
        }
        byte[] valid = ours.publicValue();
        byte[] shorter = java.util.Arrays.copyOfRange(valid, 1, len);
        byte[] longer = Bytes.concat(new byte[1], valid);
        assertInvalid(() -> ours.sharedSecret(shorter));
        assertInvalid(() -> ours.sharedSecret(longer));
        assertInvalid(() -> ours.sharedSecret(new byte[0]));
        // the edges that are valid: 2 and p-2
        group.validatePublicValue(Bytes.fixedLength(BigInteger.TWO, len));
        group.validatePublicValue(Bytes.fixedLength(p.subtract(BigInteger.TWO), len));
    }

    @Test
    void rejectsOutOfRangePrivateValues() {
        ModpGroup g = ModpGroup.MODP_1024;
        assertThatThrownBy(() -> g.keyPairFromPrivate(new byte[] {0}))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_PRIVATE_VALUE));
        assertThatThrownBy(() -> g.keyPairFromPrivate(Bytes.fixedLength(g.prime().subtract(BigInteger.ONE), 128)))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void groupsById() {
        assertThat(DhGroup.byId(2)).contains(ModpGroup.MODP_1024);
        assertThat(DhGroup.byId(1)).contains(ModpGroup.MODP_768);
        assertThat(DhGroup.byId(14)).contains(ModpGroup.MODP_2048);
        assertThat(DhGroup.byId(19)).contains(EcpGroup.ECP_256);
        assertThat(DhGroup.byId(21)).contains(EcpGroup.ECP_521);
        assertThat(DhGroup.byId(24)).isEmpty();
        assertThat(DhGroup.all()).extracting(DhGroup::id).containsExactly(1, 2, 5, 14, 15, 16, 19, 20, 21);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_PUBLIC_VALUE));
    }

    /** floor(pi * 2^bits) by Machin's formula pi = 16 atan(1/5) - 4 atan(1/239), with guard bits. */
    static BigInteger piTimesTwoTo(int bits) {
        int guard = 64;
        BigInteger one = BigInteger.ONE.shiftLeft(bits + guard);
        BigInteger pi = atanInverse(5, one).shiftLeft(4).subtract(atanInverse(239, one).shiftLeft(2));
        return pi.shiftRight(guard);
    }

    private static BigInteger atanInverse(int x, BigInteger one) {
        BigInteger bx = BigInteger.valueOf(x);
        BigInteger x2 = BigInteger.valueOf((long) x * x);
        BigInteger term = one.divide(bx);
        BigInteger sum = term;
        for (int n = 1; term.signum() != 0; n++) {
            term = term.divide(x2);
            BigInteger t = term.divide(BigInteger.valueOf(2L * n + 1));
            sum = (n % 2 == 1) ? sum.subtract(t) : sum.add(t);
        }
        return sum;
    }
}
