package dev.vpnrouter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: {@code ?} in exec and every configuration mode comes from the one grammar, in IOS's layout, compared
 * byte for byte with the listings under {@code src/test/resources/help/} (on a mismatch the actual listing is
 * written to {@code target/help-actual/} for review).
 */
class HelpListingTest {
    private final SeedExecLab lab = new SeedExecLab().up();

    private ExecSession enabled() {
        ExecSession s = lab.hubExec.openConsole("console", lab.now());
        s.execute("enable", lab.now());
        return s;
    }

    /** {@code lines} are typed first (the last one is where {@code ?} is typed), then compared with {@code golden}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', ignoreLeadingAndTrailingWhitespace = false, value = {
            "exec-show-crypto;show crypto ",
            "exec-partial-sh-cry-i;sh cry i",
            "config-crypto;configure terminal|crypto ",
            "config-partial-cry;configure terminal|cry",
            "config-crypto-isakmp;configure terminal|crypto isakmp ",
            "config-crypto-isakmp-policy;configure terminal|crypto isakmp policy ",
            "config-crypto-map-mymap-10;configure terminal|crypto map mymap 10 ",
            "config-crypto-map-set;configure terminal|crypto map mymap 30|set ",
            "config-crypto-map-set-peer;configure terminal|crypto map mymap 30|set peer ",
            "config-crypto-map-mode;configure terminal|crypto map mymap 30|",
            "config-isakmp-mode;configure terminal|crypto isakmp policy 10|",
            "config-isakmp-encryption;configure terminal|crypto isakmp policy 10|encryption ",
            "config-transform-set;configure terminal|crypto ipsec transform-set ts ",
            "config-do-show-crypto;configure terminal|do show crypto ",
    })
    void helpListingsMatchTheGoldenFiles(String golden, String typed) throws IOException {
        ExecSession s = enabled();
        List<String> lines = List.of(typed.split("\\|", -1));
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(s.execute(line, lab.now())).as(line).doesNotContain("%");
        }
        String actual = s.help(lines.getLast());
        String expected = read(golden);
        if (!actual.equals(expected)) {
            Path out = Path.of("target", "help-actual", golden + ".txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual);
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static String read(String golden) throws IOException {
        try (InputStream in = HelpListingTest.class.getResourceAsStream("/help/" + golden + ".txt")) {
            return in == null ? "(no golden file " + golden + ".txt)" : new String(in.readAllBytes(),
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    void tabCompletesInConfigurationModeAsInExec() {
        ExecSession s = enabled();
        s.execute("configure terminal", lab.now());
        assertThat(s.complete("cry")).isEqualTo("crypto ");
        assertThat(s.complete("crypto isa")).isEqualTo("crypto isakmp ");
        assertThat(s.complete("crypto isakmp p")).isEqualTo("crypto isakmp p"); // policy or profile
        assertThat(s.complete("crypto isakmp pol")).isEqualTo("crypto isakmp policy ");
        assertThat(s.complete("crypto isakmp policy 1")).isEqualTo("crypto isakmp policy 1"); // an argument
        assertThat(s.complete("do sh cry")).isEqualTo("do sh crypto ");
        s.execute("crypto map mymap 30", lab.now());
        assertThat(s.complete("set trans")).isEqualTo("set transform-set ");
        assertThat(s.complete(" reverse")).isEqualTo(" reverse-route ");
    }

    @Test
    void errorsInConfigurationModeReadAsInExec() {
        ExecSession s = enabled();
        assertThat(s.execute("sh cry i", lab.now())).isEqualTo("% Ambiguous command:  \"sh cry i\"\n");
        s.execute("configure terminal", lab.now());
        assertThat(s.execute("cry i", lab.now())).isEqualTo("% Ambiguous command:  \"cry i\"\n");
        assertThat(s.execute("crypto isakmp policy", lab.now())).isEqualTo("% Incomplete command.\n");
        // "Hub(config)#" is 12 wide: the caret under the 'x' of "crypto isakmp polxy".
        assertThat(s.execute("crypto isakmp polxy 5", lab.now())).isEqualTo(" ".repeat(12 + 17) + "^\n"
                + "% Invalid input detected at '^' marker.\n");
        assertThat(s.help("crypto isakmp polxy ")).isEqualTo(" ".repeat(12 + 17) + "^\n"
                + "% Invalid input detected at '^' marker.\n");
        assertThat(s.help("cry i ")).isEqualTo("% Ambiguous command:  \"cry i\"\n");
        assertThat(s.execute("do sh cry i", lab.now())).isEqualTo("% Ambiguous command:  \"sh cry i\"\n");
        assertThat(s.execute("do", lab.now())).isEqualTo("% Incomplete command.\n");
        assertThat(s.prompt()).isEqualTo("Hub(config)#");
        // In a sub-mode too (the README's tour), and the line changes nothing.
        s.execute("crypto isakmp policy 20", lab.now());
        assertThat(s.execute("cry i", lab.now())).isEqualTo("% Ambiguous command:  \"cry i\"\n");
        assertThat(s.prompt()).isEqualTo("Hub(config-isakmp)#");
    }

    @Test
    void subModePromptsComeFromTheGrammar() {
        ExecSession s = enabled();
        s.execute("configure terminal", lab.now());
        String[][] openers = {
                {"radius server rad1", "config-radius-server"},
                {"crypto isakmp policy 20", "config-isakmp"},
                {"crypto isakmp profile P", "conf-isa-prof"},
                {"crypto keyring K", "conf-keyring"},
                {"crypto ipsec transform-set T esp-aes esp-sha-hmac", "cfg-crypto-trans"},
                {"crypto map M 10", "config-crypto-map"},
                {"crypto dynamic-map D 10", "config-crypto-map"},
                {"crypto isakmp client configuration group G", "config-isakmp-group"},
                {"interface FastEthernet0/1", "config-if"},
                {"line vty 0 4", "config-line"},
                {"ip access-list extended E", "config-ext-nacl"},
                {"ip access-list standard S", "config-std-nacl"},
                {"router ospf 1", "config-router"},
                {"crypto pki trustpoint TP", "ca-trustpoint"},
        };
        for (String[] o : openers) {
            assertThat(s.execute(o[0], lab.now())).as(o[0]).isEmpty();
            assertThat(s.prompt()).as(o[0]).isEqualTo("Hub(" + o[1] + ")#");
            s.execute("exit", lab.now());
            assertThat(s.prompt()).isEqualTo("Hub(config)#");
        }
        // In a sub-mode, ? lists the sub-mode's commands; a global command is helped (and taken) as well.
        s.execute("radius server rad1", lab.now());
        assertThat(s.help("")).contains("  address ", "  key ", "  exit ").doesNotContain("  crypto ");
        assertThat(s.help("crypto isakmp pol")).isEqualTo("policy  \n\n");
    }
}
