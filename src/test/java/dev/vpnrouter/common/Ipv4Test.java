package dev.vpnrouter.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv4Test {
    @Test
    void parsesAndFormats() {
        assertThat(Ipv4.format(Ipv4.parse("10.48.67.181"))).isEqualTo("10.48.67.181");
        assertThat(Ipv4.parse("255.255.255.255")).isEqualTo(-1);
        assertThat(Ipv4.tryParse("256.1.1.1")).isNull();
        assertThat(Ipv4.tryParse("1.2.3")).isNull();
        assertThat(Ipv4.tryParse("1.2.3.4.")).isNull();
        assertThat(Ipv4.tryParse("1..3.4")).isNull();
    }

    @Test
    void masks() {
        assertThat(Ipv4.isContiguousMask(Ipv4.parse("255.255.254.0"))).isTrue();
        assertThat(Ipv4.isContiguousMask(0)).isTrue();
        assertThat(Ipv4.isContiguousMask(Ipv4.parse("255.0.255.0"))).isFalse();
        assertThat(Ipv4.prefixLength(Ipv4.parse("255.255.255.224"))).isEqualTo(27);
        assertThat(Ipv4.maskOf(16)).isEqualTo(Ipv4.parse("255.255.0.0"));
    }
}
