package dev.vpnrouter.app;

import dev.vpnrouter.sim.FaultModel;
import dev.vpnrouter.sim.SeedLab;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vpnrouter lab --interactive}: the IOS exec commands on the simulated routers after the run. */
class LabPromptTest {
    private SeedLab lab;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private LabPrompt prompt;

    @BeforeEach
    void run() throws IOException {
        lab = new SeedLab(new SeedLab.Options(seed("hub.cfg"), seed("spoke.cfg"), 1, 1, 1, FaultModel.PERFECT,
                0, false), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(lab.run().ok()).isTrue();
        prompt = new LabPrompt(lab, new BufferedReader(new StringReader("")),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private static String seed(String name) throws IOException {
        try (InputStream in = LabPromptTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void abbreviatedShowCommandsRunOnTheNamedRouter() {
        assertThat(prompt.execute("hub sh cry sess")).startsWith("Crypto session current status")
                .contains("Session status: UP-ACTIVE", "Peer: 10.100.2.100 port 500");
        assertThat(prompt.execute("spoke sh cry isa sa")).contains("QM_IDLE");
        assertThat(prompt.execute("spoke show ip interface f0/0")).contains("Address determined by DHCP");
        assertThat(prompt.execute("hub sh cry ipsec sa | i pkts enc")).startsWith("    #pkts encaps: ");
        assertThat(prompt.execute("hub show crypto ?")).contains("  isakmp", "  session");
        assertThat(prompt.execute("router7 show version")).startsWith("% Unknown router");
    }

    @Test
    void theCaretPointsIntoTheLineAsTyped() {
        // "lab> hub show cryptx": the x is at column 5 + 4 + 10.
        assertThat(prompt.execute("hub show cryptx")).isEqualTo(" ".repeat(5 + 4 + 10) + "^\n"
                + "% Invalid input detected at '^' marker.\n");
    }

    @Test
    void clearAndWaitLetThePeersSeeTheDeletes() {
        assertThat(prompt.execute("hub debug crypto isakmp")).isEqualTo("Crypto ISAKMP debugging is on\n");
        prompt.execute("hub clear crypto session");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Hub: ", "deleting SA reason \"cleared by operator\"");
        assertThat(prompt.execute("hub show crypto isakmp sa").lines().count()).isEqualTo(1);
        assertThat(prompt.execute("spoke show crypto isakmp sa")).contains("QM_IDLE"); // not delivered yet
        assertThat(prompt.execute("wait 2")).isEmpty();
        assertThat(prompt.execute("spoke show crypto isakmp sa")).doesNotContain("QM_IDLE");
        assertThat(prompt.execute("wait x")).startsWith("% wait SECONDS");
    }
}
