package dev.vpnrouter.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The seed configurations shipped in examples/seed, unchanged. */
final class Seeds {
    static final Path HUB = Path.of("examples/seed/hub.cfg");
    static final Path SPOKE = Path.of("examples/seed/spoke.cfg");

    private Seeds() {
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hub() {
        return read(HUB);
    }

    static String spoke() {
        return read(SPOKE);
    }
}
