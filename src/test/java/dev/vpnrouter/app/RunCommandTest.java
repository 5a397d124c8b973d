package dev.vpnrouter.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code run} decides before it touches the network: no root, no namespace needed. */
class RunCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path seedWith(String extra) throws IOException {
        Path file = dir.resolve("spoke.cfg");
        Files.writeString(file, Files.readString(Path.of("examples/seed/spoke.cfg")).replace("\nend", extra
                + "\nend"));
        return file;
    }

    @Test
    void strictRefusesAConfigurationWithErrorsAfterShowingThem() throws IOException {
        Path cfg = seedWith("\ncrypto isakmp frobnicate 7");
        assertThat(Main.run("run", "--config", cfg.toString(), "--strict")).isEqualTo(RunCommand.FAILED);
        assertThat(stderr()).contains(cfg + ":81:15: error: % Invalid input detected at '^' marker.\n"
                        + "crypto isakmp frobnicate 7\n              ^\n")
                .contains("vpnrouter: 1 error(s) in " + cfg + "; not starting (--strict)");
    }

    @Test
    void nothingToRunWithoutACryptoMap() throws IOException {
        Path cfg = dir.resolve("plain.cfg");
        Files.writeString(cfg, "hostname Plain\ninterface FastEthernet0/0\n ip address 192.0.2.1 255.255.255.0\nend\n");
        assertThat(Main.run("run", "--config", cfg.toString())).isEqualTo(RunCommand.FAILED);
        assertThat(stderr()).contains("vpnrouter: no interface carries a crypto map: nothing to run");
    }

    @Test
    void badInterfaceOptionIsAUsageError() throws IOException {
        assertThat(Main.run("run", "--config", seedWith("").toString(), "--interface", "FastEthernet0/0"))
                .isEqualTo(RunCommand.USAGE);
        assertThat(stderr()).contains("--interface takes IOS=LINUX (e.g. FastEthernet0/0=eth0), not "
                + "'FastEthernet0/0'");
    }

    @Test
    void unreadableConfigurationIsAUsageError() {
        assertThat(Main.run("run", "--config", dir.resolve("missing.cfg").toString())).isEqualTo(RunCommand.USAGE);
        assertThat(stderr()).contains("vpnrouter: cannot read ");
    }
}
