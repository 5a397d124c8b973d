package dev.vpnrouter.config.model;

import dev.vpnrouter.config.secret.Type7;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16: a password check does not tell, by its time, how much of a wrong guess was right. */
class PasswordTest {
    @Test
    void matchesTheConfiguredPasswordOnly() {
        for (Password p : new Password[] {new Password.Clear("cisco123"), new Password.Type7Encoded(
                Type7.encode("cisco123"))}) {
            assertThat(p.matches("cisco123")).isTrue();
            assertThat(p.matches("cisco124")).isFalse();
            assertThat(p.matches("cisco1234")).isFalse();
            assertThat(p.matches("")).isFalse();
            assertThat(p.matches(null)).isFalse();
        }
    }

    /**
     * A guess wrong in its first character takes as long as one wrong in its last. With String.equals the first
     * returns at once and the second compares the whole 1 MB: hundreds of times longer. The fastest of many runs
     * keeps a shared machine's noise out; the bound leaves a wide margin either way.
     */
    @Test
    void aWrongGuessTakesAsLongWhereverItDiffers() {
        String stored = "s".repeat(1 << 20);
        Password p = new Password.Clear(stored);
        String[] guesses = {"x" + stored.substring(1), stored.substring(1) + "x"};
        long[] fastest = {Long.MAX_VALUE, Long.MAX_VALUE};
        for (int run = 0; run < 60; run++) { // alternating, so load and JIT change both alike
            for (int g = 0; g < 2; g++) {
                long start = System.nanoTime();
                boolean ok = p.matches(guesses[g]);
                long took = System.nanoTime() - start;
                assertThat(ok).isFalse();
                if (run >= 10) {
                    fastest[g] = Math.min(fastest[g], took);
                }
            }
        }
        assertThat((double) fastest[1] / fastest[0]).as("last %d ns, first %d ns", fastest[1], fastest[0])
                .isLessThan(3.0);
    }
}
