package dev.vpnrouter.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DnsNameTest {
    @Test
    void lettersDigitsHyphensInLabelsOf1To63And253AtMost() {
        assertThat(DnsName.isValid("cisco.com")).isTrue();
        assertThat(DnsName.isValid("a")).isTrue();
        assertThat(DnsName.isValid("x-1.Corp-Net.example")).isTrue();
        assertThat(DnsName.isValid("a".repeat(63) + ".com")).isTrue();
        String longest = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
        assertThat(longest).hasSize(253);
        assertThat(DnsName.isValid(longest)).isTrue();

        assertThat(DnsName.isValid(longest + "d")).isFalse();
        assertThat(DnsName.isValid("a".repeat(64) + ".com")).isFalse();
        assertThat(DnsName.isValid("")).isFalse();
        assertThat(DnsName.isValid(null)).isFalse();
        assertThat(DnsName.isValid(".com")).isFalse();
        assertThat(DnsName.isValid("a..com")).isFalse();
        assertThat(DnsName.isValid("cisco.com.")).isFalse();
        assertThat(DnsName.isValid("cisco.com\nnameserver 1.2.3.4")).isFalse();
        assertThat(DnsName.isValid("under_score.com")).isFalse();
        assertThat(DnsName.isValid("b\u00fccher.de")).isFalse();
        assertThat(DnsName.isValid("a b")).isFalse();
    }
}
