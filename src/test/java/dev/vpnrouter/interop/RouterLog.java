package dev.vpnrouter.interop;

import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.router.DebugSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** A {@link DebugSink} for tests: keeps every line (for assertions) and appends it to a file (for post-mortems). */
public final class RouterLog implements DebugSink {
    private final Path file;
    private final List<String> lines = new ArrayList<>();

    public RouterLog(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
    }

    @Override
    public synchronized void line(DebugCategory category, String line) {
        String entry = (category == null ? "runtime" : category.name().toLowerCase()) + ": " + line;
        lines.add(entry);
        try {
            Files.writeString(file, entry + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines containing {@code text}. */
    public synchronized List<String> matching(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    public Path file() {
        return file;
    }

    /** The last {@code n} lines, for failure messages. */
    public synchronized String tail(int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
