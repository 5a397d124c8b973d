package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The man pages the package installs, generated from the same picocli model as {@code --help}. */
class ManPagesTest {
    @TempDir
    Path dir;

    private static ManPages.Page page(String name) {
        return ManPages.pages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void onePagePerCommandButHelp() {
        assertThat(ManPages.pages()).extracting(ManPages.Page::name).containsExactly("vpnrouter", "vpnrouter-run",
                "vpnrouter-console", "vpnrouter-lab", "vpnrouter-check", "vpnrouter-client", "vpnrouter-show-config");
    }

    @Test
    void theRunPageHasTheManSectionsEveryOptionAndTheSignals() {
        String troff = page("vpnrouter-run").troff();

        assertThat(troff).contains(".TH \"VPNROUTER-RUN\" 1 \"\" \"vpnrouter 0.1.0\" \"vpnrouter manual\"\n")
                .contains(".SH NAME\nvpnrouter\\-run \\- Run the router with an IOS configuration (needs root for "
                        + "ports 500/4500)\n")
                .contains(".SH SYNOPSIS\n.B vpnrouter run\n\\fB\\-\\-config\\fR \\fIFILE\\fR\n")
                .contains(".SH OPTIONS\n", ".SH SIGNALS\n", "SIGHUP: read the \\-\\-config file again");
        CommandLine run = new CommandLine(new Main()).getSubcommands().get("run");
        List<OptionSpec> options = run.getCommandSpec().options();
        assertThat(options).hasSizeGreaterThan(10);
        for (OptionSpec o : options) {
            String term = "\\fB" + o.longestName().replace("-", "\\-") + "\\fR";
            // Each option is a .TP item whose tag line names it.
            assertThat(troff).as(o.longestName())
                    .containsPattern("\\.TP\n[^\n]*" + java.util.regex.Pattern.quote(term));
            assertThat(troff).as(o.longestName()).contains(ManPages.escape(o.description()[0]).lines().findFirst()
                    .orElseThrow());
        }
        // No line of running text may start with a control character (it would be taken as a request).
        for (String line : troff.lines().toList()) {
            if (line.startsWith(".") || line.startsWith("'")) {
                assertThat(line).as("a request line").matches("^\\.(\\\\\"|TH|SH|TP|PP|B) ?.*");
            }
        }
    }

    @Test
    void theTopPageListsTheCommandsAndPointsToTheirPages() {
        String troff = page("vpnrouter").troff();
        assertThat(troff).contains(".SH COMMANDS\n", "\\fBrun\\fR\n", "See \\fBvpnrouter\\-run\\fR(1).",
                "\\fBshow\\-config\\fR\n", ".SH SEE ALSO\n");
    }

    @Test
    void mainWritesGzippedPagesThatManRenders() throws Exception {
        ManPages.main(new String[] {dir.toString()});

        Path run = dir.resolve("vpnrouter-run.1.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(run))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(page("vpnrouter-run").troff());
        }
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList()).hasSize(7)
                .allMatch(n -> n.endsWith(".1.gz"));

        // man(1) itself, where installed (Debian: the man-db package): the page formats with no troff warning.
        if (Files.isExecutable(Path.of("/usr/bin/man"))) {
            Process man = new ProcessBuilder("/usr/bin/man", "--warnings", "-l", run.toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            man.getOutputStream().close();
            String out = new String(man.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(man.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(man.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(man.exitValue()).as(err).isZero();
            assertThat(err).isEmpty();
            assertThat(out).contains("VPNROUTER-RUN(1)", "NAME", "SYNOPSIS", "--config FILE", "SIGNALS");
        }
    }

    @Test
    void escapesBackslashesAndHyphens() throws IOException {
        assertThat(ManPages.escape("a\\b --x")).isEqualTo("a\\eb \\-\\-x");
    }
}
