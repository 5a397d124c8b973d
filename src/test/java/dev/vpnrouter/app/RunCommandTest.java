package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code vpnrouter run} up to the point where the configuration must become a policy. */
class RunCommandTest {
    private record Outcome(int exit, String output) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(new RunCommand(out)).execute(args);
        return new Outcome(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheConfigAdapterItSaysSoPlainlyAndExitsNonZero() {
        Outcome o = run("--config", "examples/seed/hub.cfg", "--interface", "FastEthernet0/0=eth0");
        assertThat(o.exit()).isEqualTo(Main.NOT_BUILT);
        assertThat(o.output()).isEqualTo("vpnrouter run: cannot run examples/seed/hub.cfg: this build cannot "
                + "compile an IOS configuration into an engine policy yet: the config-to-policy adapter "
                + "(dev.vpnrouter.ike.cfg.ConfigPolicy) is not merged into it. Nothing was started.\n");
    }

    @Test
    void aMalformedInterfaceMappingIsAUsageError() {
        Outcome o = run("--config", "examples/seed/hub.cfg", "--interface", "FastEthernet0/0");
        assertThat(o.exit()).isEqualTo(RunCommand.USAGE);
        assertThat(o.output()).isEqualTo("vpnrouter run: --interface takes IOS=LINUX (e.g. FastEthernet0/0=eth0), "
                + "not 'FastEthernet0/0'\n");
    }

    @Test
    void anUnreadableConfigIsAUsageError() {
        Outcome o = run("--config", "no/such/router.cfg");
        assertThat(o.exit()).isEqualTo(RunCommand.USAGE);
        assertThat(o.output()).isEqualTo("vpnrouter run: cannot read configuration no/such/router.cfg\n");
    }

    @Test
    void interfaceMapsMatchIosNamesWithoutCase() {
        InterfaceMap map = InterfaceMap.parse(List.of("FastEthernet0/0=eth0", " FastEthernet0/1 = lan0 "));
        assertThat(map.linuxFor("fastethernet0/0")).isEqualTo("eth0");
        assertThat(map.linuxFor("FastEthernet0/1")).isEqualTo("lan0");
        assertThat(map.linuxFor("Serial0/0")).isNull();
    }

    @Test
    void interfaceMapsRejectDuplicatesAndBadLinuxNames() {
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=eth0", "fa0/0=eth1")))
                .hasMessage("--interface maps fa0/0 twice");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=eth0", "Fa0/1=eth0")))
                .hasMessage("--interface maps two IOS interfaces to eth0");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("Fa0/0=averyveryverylongname")))
                .hasMessageContaining("is not a Linux interface name");
        assertThatThrownBy(() -> InterfaceMap.parse(List.of("=eth0"))).hasMessageContaining("IOS=LINUX");
    }
}
