package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vpnrouter show-config -o OUT}: the written configuration holds the keys, so only its owner reads it. */
class ShowConfigOutputTest {
    @Test
    void writtenConfigurationIsOwnerOnly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("running.cfg");
        CommandLine cl = new CommandLine(new Main());
        StringWriter stdout = new StringWriter();
        cl.setOut(new PrintWriter(stdout, true));
        assertThat(cl.execute("show-config", "-o", out.toString(), "examples/seed/hub.cfg")).isZero();
        assertThat(Files.readString(out)).contains("pre-shared-key address 0.0.0.0 0.0.0.0 key cisco123");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(stdout.toString()).isEmpty();
    }
}
