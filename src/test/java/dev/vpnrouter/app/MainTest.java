package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void clientWithoutHubOrGroupIsAUsageError() {
        assertThat(Main.run("client")).isEqualTo(2);
    }

    @Test
    void helpExitsZero() {
        assertThat(Main.run("--help")).isZero();
    }
}
