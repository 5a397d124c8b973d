package dev.vpnrouter.config.secret;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void roundTripsEverySalt() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            char[] chars = new char[r.nextInt(41)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) r.nextInt(' ', '~' + 1);
            }
            String clear = new String(chars);
            int salt = r.nextInt(16);
            assertThat(Type7.decode(Type7.encode(clear, salt))).as("%s salt %d", clear, salt).contains(clear);
            assertThat(Type7.decode(Type7.encode(clear))).as(clear).contains(clear);
        }
    }
}
