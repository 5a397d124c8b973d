package dev.vpnrouter.ike.crypto;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Reproducible randomness for tests: SHA1PRNG seeded before its first use never mixes in system entropy. */
final class TestRandom {
    private TestRandom() {
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(ByteBuffer.allocate(8).putLong(seed).array());
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
