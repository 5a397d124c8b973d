package dev.vpnrouter.common;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {
    @Test
    void printableAsciiStaysAndEveryOtherByteIsHex() {
        assertThat(Printable.of("testgroup")).isEqualTo("testgroup");
        assertThat(Printable.of("DOMAIN\\user name@x.com")).isEqualTo("DOMAIN\\user name@x.com");
        assertThat(Printable.of("evil\u001b[2J\r\nline\t\u007f")).isEqualTo("evil\\x1b[2J\\x0d\\x0aline\\x09\\x7f");
        assertThat(Printable.of("b\u00fccher")).isEqualTo("b\\xc3\\xbccher");
        assertThat(Printable.of(new byte[] {'a', 0, (byte) 0xff})).isEqualTo("a\\x00\\xff");
        assertThat(Printable.of((String) null)).isNull();
        assertThat(Printable.of("a\u001bb".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\\x1bb");
    }
}
