package dev.vpnrouter.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parses and checks a configuration: syntax diagnostics from {@link IosParser}, semantics from {@link ConfigChecker}. */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static ParseResult load(String text) {
        ParseResult parsed = IosParser.parse(text);
        String[] lines = text.split("\n", -1);
        List<Diagnostic> all = new ArrayList<>(parsed.diagnostics());
        for (Diagnostic d : ConfigChecker.check(parsed.config(), parsed.source())) {
            boolean known = d.line() >= 1 && d.line() <= lines.length;
            all.add(known ? d.withSourceLine(lines[d.line() - 1].replace("\r", "")) : d);
        }
        all.sort(Diagnostic.ORDER);
        return new ParseResult(parsed.config(), all, parsed.source(), parsed.endMode(),
                parsed.endPrompt());
    }

    public static ParseResult load(Path file) throws IOException {
        return load(Files.readString(file));
    }
}
