package dev.vpnrouter.config.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class Type7Test {
    @Test
    void decodesTheSeedPasswords() {
        assertThat(Type7.decode("0201024E070A0E2649")).contains("gfullage"); // hub.cfg username
        assertThat(Type7.decode("121A0C041104")).contains("cisco"); // hub.cfg line vty
    }

    @Test
    void encodesLikeIos() {
        assertThat(Type7.encode("gfullage", 2)).isEqualTo("0201024E070A0E2649");
        assertThat(Type7.encode("cisco", 12)).isEqualTo("121A0C041104");
    }

    @Test
    void rejectsMalformedText() {
        assertThat(Type7.decode("0")).isEmpty();
        assertThat(Type7.decode("02010")).isEmpty();
        assertThat(Type7.decode("0201ZZ")).isEmpty();
        assertThat(Type7.decode("9901")).isEmpty(); // salt beyond the key string
        assertThat(Type7.decode("02")).contains("");
    }

    static LongStream seeds() {
        return LongStream.range(0, 1000);
    }

    /** A printable password of 0 to 40 characters decodes back from each of the 16 salts and the derived one. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTripsEverySalt(long seed) {
        String clear = printable(new SplittableRandom(seed), 40);
        assertThatCode(() -> {
            for (int salt = 0; salt <= 15; salt++) {
                assertThat(Type7.decode(Type7.encode(clear, salt))).as("salt %d", salt).contains(clear);
            }
            assertThat(Type7.decode(Type7.encode(clear))).as("derived salt").contains(clear);
        }).as("seed %d: \"%s\"", seed, clear).doesNotThrowAnyException();
    }

    /** Printable ASCII (space to tilde), up to {@code max} characters; empty and full length come up often. */
    private static String printable(SplittableRandom r, int max) {
        int length = r.nextInt(8) == 0 ? (r.nextBoolean() ? 0 : max) : r.nextInt(max + 1);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) r.nextInt(' ', '~' + 1));
        }
        return b.toString();
    }
}
