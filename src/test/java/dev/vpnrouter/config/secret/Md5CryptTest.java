package dev.vpnrouter.config.secret;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values from {@code openssl passwd -1 -salt SALT PASSWORD}. */
class Md5CryptTest {
    @Test
    void matchesOpenssl() {
        assertThat(Md5Crypt.crypt("password", "saltsalt")).isEqualTo("$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/");
        assertThat(Md5Crypt.crypt("cisco", "abcd")).isEqualTo("$1$abcd$2hDGYdE0UrwK2pqoiF6BB1");
        assertThat(Md5Crypt.crypt("", "x")).isEqualTo("$1$x$fwjfZtMwarkdetsjiQreU1");
        assertThat(Md5Crypt.crypt("a much longer password with spaces 0123456789", "12345678"))
                .isEqualTo("$1$12345678$Tm.uWB1O.qwgoL0jdMbJF1");
    }

    @Test
    void verifies() {
        assertThat(Md5Crypt.verify("cisco", "$1$abcd$2hDGYdE0UrwK2pqoiF6BB1")).isTrue();
        assertThat(Md5Crypt.verify("Cisco", "$1$abcd$2hDGYdE0UrwK2pqoiF6BB1")).isFalse();
        assertThat(Md5Crypt.verify("cisco", "$1$abcd$2hDGYdE0UrwK2pqoiF6BB")).isFalse();
        assertThat(Md5Crypt.verify("cisco", "not a hash")).isFalse();
        assertThat(Md5Crypt.isWellFormed("$1$abcd$2hDGYdE0UrwK2pqoiF6BB1")).isTrue();
        assertThat(Md5Crypt.isWellFormed("$1$abcd$2hDGYdE0UrwK2pqoiF6B!1")).isFalse();
    }
}
