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

    @Test
    void forcedUdpEncapsulationTakesAddressesOrAll() {
        assertThat(Main.run("run", "--config", "examples/seed/spoke.cfg", "--force-udp-encapsulation", "not-a-peer"))
                .isEqualTo(2);
        assertThat(RunCommand.forcedPeers(java.util.List.of("203.0.113.2", "all")))
                .containsExactly(dev.vpnrouter.common.Ipv4.parse("203.0.113.2"), null);
        assertThat(RunCommand.forcedPeers(java.util.List.of("203.0.113.300"))).isNull();
    }
}
