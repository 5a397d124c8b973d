package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A background program the harness started (charon, dnsmasq, tshark, vpnc ...), with stdout and stderr going to
 * one log file. {@link #close()} sends SIGTERM, waits a bounded time, then kills it and its descendants.
 */
public final class Daemon implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Path log;
    private final List<String> command;

    private Daemon(String label, Process process, Path log, List<String> command) {
        this.label = label;
        this.process = process;
        this.log = log;
        this.command = command;
    }

    /** Starts {@code command} with stdin from /dev/null and its output appended to {@code log}. */
    public static Daemon start(String label, Path log, List<String> command, java.util.Map<String, String> env)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        return new Daemon(label, builder.start(), log, List.copyOf(command));
    }

    public String label() {
        return label;
    }

    /** The pid of the program itself ({@code ip netns exec} and {@code sh -c exec} do not fork). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return log;
    }

    /** The whole log so far (empty when none). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        return tail(log(), lines);
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    /**
     * Waits until the log contains a line matching {@code pattern}; fails (with the log tail) after {@code timeout}
     * or when the program exits first.
     */
    public String awaitLog(Pattern pattern, Duration timeout) {
        return awaitLog(text -> pattern.matcher(text).find(), pattern.pattern(), timeout);
    }

    String awaitLog(Predicate<String> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            if (condition.test(text)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited (" + process.exitValue() + ") before its log showed '"
                        + what + "'; " + command + "\n--- " + log + " ---\n" + tail(text, 40));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(label + ": no '" + what + "' in its log within " + timeout.toMillis()
                        + " ms\n--- " + log + " ---\n" + tail(text, 40));
            }
            sleep(50);
        }
    }

    /** Waits (bounded) for the program to exit by itself; returns its exit code, or fails with the log tail. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " still running after " + timeout.toMillis() + " ms\n"
                        + logTail(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** SIGTERM, up to {@code grace} to exit cleanly, then SIGKILL for it and anything it started. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                Command.kill(process);
            }
        } catch (InterruptedException e) {
            Command.kill(process);
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return label + "[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
