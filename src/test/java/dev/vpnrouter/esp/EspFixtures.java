package dev.vpnrouter.esp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared test material: every transform, matching SA pairs, and IPv4-looking packets. */
final class EspFixtures {
    static final int SPI = 0x7A1AB8F3;

    private EspFixtures() {
    }

    /** Every cipher/key size/integrity combination the engine supports. */
    static List<EspTransform> allTransforms() {
        List<EspTransform> all = new ArrayList<>();
        for (EspCipher cipher : EspCipher.values()) {
            int[] keySizes = switch (cipher) {
                case NULL -> new int[] {0};
                case DES3_CBC -> new int[] {192};
                default -> new int[] {128, 192, 256};
            };
            for (int bits : keySizes) {
                if (cipher.isAead()) {
                    all.add(EspTransform.gcm(cipher, bits));
                    continue;
                }
                for (EspIntegrity integrity : EspIntegrity.values()) {
                    if (cipher == EspCipher.NULL && integrity == EspIntegrity.NONE) {
                        continue;
                    }
                    all.add(EspTransform.of(cipher, bits, integrity));
                }
            }
        }
        return all;
    }

    /** Transforms whose packets carry an ICV. */
    static List<EspTransform> authenticatedTransforms() {
        return allTransforms().stream().filter(t -> t.icvLength() > 0).toList();
    }

    static byte[] keymat(EspTransform transform, long seed) {
        byte[] k = new byte[transform.keymatLength()];
        new Random(seed).nextBytes(k);
        return k;
    }

    static EspOutboundSa outbound(EspTransform t, byte[] keymat, boolean esn) {
        return EspOutboundSa.builder(SPI, t, keymat).esn(esn).random(seeded(1)).build();
    }

    static EspInboundSa inbound(EspTransform t, byte[] keymat, boolean esn) {
        return EspInboundSa.builder(SPI, t, keymat).esn(esn).build();
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** An IPv4-looking packet of {@code length} bytes (version/IHL 0x45, then random bytes). */
    static byte[] ipv4(int length, Random random) {
        byte[] p = new byte[length];
        random.nextBytes(p);
        p[0] = 0x45;
        return p;
    }
}
