package dev.vpnrouter.ike.cfg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine-side verifiers of type 7 and MD5 crypt (type 5) passwords. */
class IkeCfgSecretsTest {
    @Test
    void type7OfTheSeedDecodes() {
        // hub.cfg: username gfullage password 7 0201024E070A0E2649; line vty: password 7 121A0C041104
        assertThat(CiscoType7.decode("0201024E070A0E2649")).hasValue("gfullage");
        assertThat(CiscoType7.decode("121A0C041104")).hasValue("cisco");
        assertThat(CiscoType7.encode("gfullage", 2)).isEqualTo("0201024E070A0E2649");
    }

    @Test
    void malformedType7IsEmpty() {
        assertThat(CiscoType7.decode("0")).isEmpty();
        assertThat(CiscoType7.decode("020")).isEmpty();
        assertThat(CiscoType7.decode("xx1234")).isEmpty();
        assertThat(CiscoType7.decode("99AABB")).isEmpty();
        assertThat(CiscoType7.decode("02ZZ")).isEmpty();
        assertThat(CiscoType7.decode(null)).isEmpty();
    }

    @Property
    void type7RoundTrips(@ForAll @StringLength(max = 40) String clear, @ForAll @IntRange(max = 15) int offset) {
        String latin = clear.chars().map(c -> c & 0xff).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
        assertThat(CiscoType7.decode(CiscoType7.encode(latin, offset))).hasValue(latin);
    }

    @Test
    void md5CryptMatchesOpenssl() {
        // openssl passwd -1 -salt SALT PASSWORD
        Map<String, String[]> vectors = Map.of(
                "$1$abcdefgh$BkLobWEJ4QD2WGoy8ZvPd0", new String[] {"gfullage", "abcdefgh"},
                "$1$4eVm$RzcyV32RXYUFNotcxiPDX.", new String[] {"password", "4eVm"},
                "$1$$LP5.V3ajGqHDdXW6XwZQy.", new String[] {"x", ""},
                "$1$saltsalt$R4cXKpTv4Um813v3KW0hR0",
                new String[] {"a much longer password that exceeds sixteen bytes", "saltsalt"});
        vectors.forEach((crypted, in) -> {
            assertThat(Md5Crypt.crypt(in[0], in[1])).isEqualTo(crypted);
            assertThat(Md5Crypt.verify(in[0], crypted)).isTrue();
            assertThat(Md5Crypt.verify(in[0] + "!", crypted)).isFalse();
        });
        assertThat(Md5Crypt.verify("x", "not a crypt string")).isFalse();
        assertThat(Md5Crypt.verify("x", "$1$nodollar")).isFalse();
    }
}
