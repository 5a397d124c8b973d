package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void seedsPassAndListTheLinesNotActedOn() {
        assertThat(run("check", "examples/seed/hub.cfg", "examples/seed/spoke.cfg")).isZero();
        assertThat(out.toString()).contains(
                "examples/seed/hub.cfg:99:1: note: not acted on: call rsvp-sync\n",
                "examples/seed/hub.cfg:102:1: note: not acted on: dial-peer cor custom\n",
                "examples/seed/hub.cfg:81:3: note: not acted on: duplex auto (interface FastEthernet0/0)\n",
                "examples/seed/spoke.cfg:33:1: note: not acted on: controller ISA 5/1\n",
                "examples/seed/spoke.cfg:70:1: note: not acted on: mgcp profile default\n",
                "examples/seed/hub.cfg:66:1: warning: crypto dynamic-map dynmap 10 has no 'match address': a peer may "
                        + "claim any network as its own except the default route",
                "examples/seed/hub.cfg: 0 error(s), 4 warning(s), 21 note(s)\n",
                "examples/seed/spoke.cfg: 0 error(s), 0 warning(s), 21 note(s)\n");
        assertThat(out.toString()).doesNotContain("error:");
    }

    @Test
    void aSpokeAclThatMissesTheHubsLanIsWarned(@TempDir Path dir) throws IOException {
        Path spoke = dir.resolve("spoke.cfg");
        Files.writeString(spoke, Files.readString(Path.of("examples/seed/spoke.cfg")).replace(
                "access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255",
                "access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.1.0 0.0.0.255"));
        assertThat(run("check", "examples/seed/hub.cfg", spoke.toString())).isZero();
        assertThat(out.toString()).contains("  warning: Spoke: crypto map mymap 10 (ACL 100) does not cover Hub's "
                + "inside network 10.1.0.0/23 of FastEthernet0/1: traffic to it does not enter the tunnel\n");
        out.getBuffer().setLength(0);
        assertThat(run("check", "examples/seed/hub.cfg", "examples/seed/spoke.cfg")).isZero();
        assertThat(out.toString()).doesNotContain("does not cover");
    }

    @Test
    void theFileThatInitiatesIsTheSpokeWhicheverOrderTheyCome() {
        assertThat(run("check", "examples/seed/spoke.cfg", "examples/seed/hub.cfg")).isZero();
        assertThat(out.toString()).contains("Prediction (examples/seed/spoke.cfg initiating to examples/seed/hub.cfg; "
                + "only examples/seed/spoke.cfg has a static crypto map entry with a peer, so it initiates):\n")
                .contains("  tunnels come up\n");
    }

    @Test
    void errorsFailTheCheckWithACaretBlock(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.cfg");
        Files.writeString(bad, "hostname R\ncrypto isakmp policy 10\n hahs sha\n");
        Path good = dir.resolve("good.cfg");
        Files.writeString(good, "hostname R\n");
        assertThat(run("check", good.toString(), bad.toString())).isEqualTo(CheckCommand.ERRORS);
        assertThat(out.toString()).contains(bad + ":3:4: error: % Invalid input detected at '^' marker.\n"
                + " hahs sha\n"
                + "   ^\n");
        assertThat(out.toString()).contains(good + ": 0 error(s)");
    }

    @Test
    void warningsAloneDoNotFail(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.cfg");
        Files.writeString(f, "crypto map m 10 ipsec-isakmp\n set peer 1.1.1.1\n");
        assertThat(run("check", f.toString())).isZero();
        assertThat(out.toString()).contains(f + ":1:1: warning: crypto map m 10 has no 'match address'");
    }

    @Test
    void unreadableFile() {
        assertThat(run("check", "no/such/file.cfg")).isEqualTo(CheckCommand.UNREADABLE);
        assertThat(err.toString()).contains("cannot read no/such/file.cfg");
    }

    @Test
    void showConfigPrintsTheRunningConfig() {
        assertThat(run("show-config", "examples/seed/hub.cfg")).isZero();
        assertThat(out.toString()).startsWith("!\nversion 12.3\n").endsWith("end\n")
                .contains("crypto isakmp profile L2L\n description LAN-to-LAN for spoke router(s) connection\n"
                        + " keyring spokes\n match identity address 0.0.0.0\n")
                .contains("username gfullage password 7 0201024E070A0E2649\n");
    }

    @Test
    void showConfigReportsErrorsOnStderr(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.cfg");
        Files.writeString(bad, "hostname R\ninterfce Fa0/0\n");
        assertThat(run("show-config", bad.toString())).isEqualTo(CheckCommand.ERRORS);
        assertThat(out.toString()).contains("hostname R\n");
        assertThat(err.toString()).contains(bad + ":2:7: error:");
    }
}
