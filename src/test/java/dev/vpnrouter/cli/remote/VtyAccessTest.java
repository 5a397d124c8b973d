package dev.vpnrouter.cli.remote;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may reach a vty line, decided before any login: {@code access-class N in} with or without {@code vrf-also}
 * (no VRFs here, so both filter alike), and {@code transport input} as typed, written back in the same order.
 */
class VtyAccessTest {
    private static RouterConfig config(String accessClass, String transport) {
        return ConfigLoader.load("""
                access-list 10 permit 192.0.2.0 0.0.0.255
                line vty 0 4
                 %s
                 %s
                """.formatted(accessClass, transport)).config();
    }

    @Test
    void vrfAlsoFiltersExactlyAsWithoutIt() {
        for (String line : new String[] {"access-class 10 in", "access-class 10 in vrf-also"}) {
            RouterConfig c = config(line, "transport input ssh");
            assertThat(VtyAccess.refusal(c, Ipv4.parse("192.0.2.7"), "ssh")).as(line).isNull();
            assertThat(VtyAccess.refusal(c, Ipv4.parse("198.51.100.7"), "ssh")).as(line)
                    .isEqualTo("198.51.100.7 matches no line of access-class 10");
            assertThat(ConfigWriter.write(c)).as(line).contains(" " + line + "\n");
        }
    }

    @Test
    void transportInputIsWrittenBackInTheOrderTyped() {
        for (String line : new String[] {"transport input telnet ssh", "transport input ssh telnet"}) {
            RouterConfig c = config("access-class 10 in", line);
            assertThat(ConfigWriter.write(c)).contains(" " + line + "\n");
            assertThat(VtyAccess.refusal(c, Ipv4.parse("192.0.2.7"), "ssh")).isNull();
        }
        assertThat(VtyAccess.refusal(config("access-class 10 in", "transport input telnet"),
                Ipv4.parse("192.0.2.7"), "ssh")).isEqualTo("transport input of line vty does not include ssh");
    }
}
