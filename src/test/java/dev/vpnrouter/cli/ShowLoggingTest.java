package dev.vpnrouter.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code show logging}, the console's log lines and %SYS-5-CONFIG_I on the seed hub with its tunnels up. */
class ShowLoggingTest {
    private final SeedExecLab lab = new SeedExecLab();

    @Test
    void theSeedHubsNoLoggingOnShowsMessagesOnTheConsoleOnly() {
        ExecSession console = lab.hubExec.openConsole("console", lab.now());
        List<String> seen = new ArrayList<>();
        console.onMonitor(seen::add);
        lab.up();
        assertThat(seen).containsExactly(
                "*Nov 18 11:06:40.003: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer 10.51.82.100:500  Id: "
                        + "testgroup",
                "*Nov 18 11:06:40.005: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP.  Peer 10.100.2.102:500  Id: "
                        + "10.100.2.102");
        console.execute("enable", lab.now());
        assertThat(console.execute("show logging", lab.now())).startsWith("Syslog logging: disabled (")
                .contains("    Buffer logging:  disabled\n", "    Trap logging: disabled\n")
                .endsWith("Log Buffer (4096 bytes):\n\n");
    }

    @Test
    void configuredLoggingFillsTheBufferAndSaysWhoConfigured() {
        lab.up();
        ExecSession vty = lab.hubExec.openVty("gfullage", 15, "10.1.1.10", lab.now());
        vty.execute("configure terminal", lab.now());
        assertThat(vty.execute("logging on", lab.now())).isEmpty();
        vty.execute("logging host 192.0.2.99", lab.now());
        assertThat(vty.execute("logging trap bogus", lab.now())).contains("% Invalid input detected at '^' marker");
        vty.execute("end", lab.now());
        String show = vty.execute("show logging", lab.now());
        assertThat(show).startsWith("Syslog logging: enabled (0 messages dropped, 0 messages rate-limited,")
                .contains("    Trap logging: level informational, 1 message lines logged\n"
                        + "        Logging to 192.0.2.99  (udp port 514, audit disabled,\n")
                .endsWith(": %SYS-5-CONFIG_I: Configured from console by gfullage on vty0 (10.1.1.10)\n");
        assertThat(lab.hubDatagrams).singleElement().asString().startsWith("<189>")
                .endsWith("%SYS-5-CONFIG_I: Configured from console by gfullage on vty0 (10.1.1.10)");
    }
}
