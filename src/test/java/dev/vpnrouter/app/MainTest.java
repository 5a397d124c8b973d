package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void unbuiltSubcommandsExitNonZero() {
        assertThat(Main.run("lab")).isEqualTo(Main.NOT_BUILT);
    }

    @Test
    void runWithoutAConfigIsAUsageError() {
        assertThat(Main.run("run")).isEqualTo(2);
    }

    @Test
    void helpExitsZero() {
        assertThat(Main.run("--help")).isZero();
    }
}
