package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void unbuiltSubcommandsExitNonZero() {
        assertThat(Main.run("client")).isEqualTo(Main.NOT_BUILT);
    }

    @Test
    void helpExitsZero() {
        assertThat(Main.run("--help")).isZero();
    }
}
