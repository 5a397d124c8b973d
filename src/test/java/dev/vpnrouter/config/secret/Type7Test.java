package dev.vpnrouter.config.secret;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
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

    @Property
    void roundTripsEverySalt(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String clear,
                             @ForAll @IntRange(max = 15) int salt) {
        assertThat(Type7.decode(Type7.encode(clear, salt))).contains(clear);
        assertThat(Type7.decode(Type7.encode(clear))).contains(clear);
    }
}
