package dev.vpnrouter.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each file under {@code config/bad/} says in {@code ! expect: SEVERITY LINE:COL MESSAGE} comments exactly which
 * errors and warnings loading it must produce (notes are not compared), in order.
 */
class BadConfigTest {
    private static final Path DIR = Path.of("src/test/resources/config/bad");
    private static final String EXPECT = "! expect: ";

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList().stream();
        }
    }

    @Test
    void corpusIsLargeEnough() throws IOException {
        assertThat(files().count()).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void producesExactlyTheExpectedDiagnostics(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> expected = text.lines().filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length())).toList();
        assertThat(expected).as("a bad config must say what it expects").isNotEmpty();

        ParseResult result = ConfigLoader.load(text);
        List<String> actual = result.diagnostics().stream().filter(d -> d.severity() != Severity.NOTE)
                .map(d -> d.severity().label() + " " + d.line() + ":" + d.column() + " " + d.message()).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
        // Every diagnostic carries its line for the caret block.
        result.diagnostics().stream().filter(d -> d.line() > 0)
                .forEach(d -> assertThat(d.sourceLine()).isEqualTo(text.lines().toList().get(d.line() - 1)));
    }
}
