package dev.vpnrouter.net;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an external program to completion with a time limit, stdin from /dev/null and both outputs captured. The
 * edge uses it for {@code ip}; the interop harness for everything it drives. A program still running at the limit
 * is killed together with its descendants (all started by us).
 */
public final class Command {
    /** What a finished (or killed) program left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** Returns this result when it is {@link #ok()}, else throws an IOException with the full story. */
        public Result check() throws IOException {
            if (!ok()) {
                throw new IOException(describe());
            }
            return this;
        }

        /** One paragraph for failure messages: the command, how it ended, and its output. */
        public String describe() {
            StringBuilder b = new StringBuilder("`").append(String.join(" ", command)).append("` ");
            b.append(timedOut ? "timed out" : "exited " + exitCode);
            if (!stdout.isBlank()) {
                b.append("\n  stdout: ").append(stdout.strip().replace("\n", "\n          "));
            }
            if (!stderr.isBlank()) {
                b.append("\n  stderr: ").append(stderr.strip().replace("\n", "\n          "));
            }
            return b.toString();
        }
    }

    /** Programs started so far by this JVM through this class (tests check the SA path starts none). */
    private static final AtomicLong STARTED = new AtomicLong();

    private Command() {
    }

    /** How many programs {@link #run} has started in this JVM. */
    public static long started() {
        return STARTED.get();
    }

    /** Runs {@code command} for at most {@code timeout}; never throws for a non-zero exit (see {@link Result#check}). */
    public static Result run(Duration timeout, List<String> command) throws IOException {
        Path out = Files.createTempFile("vpnrouter-cmd", ".out");
        Path err = Files.createTempFile("vpnrouter-cmd", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            STARTED.incrementAndGet();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + command, e);
            }
            if (!finished) {
                kill(process);
            }
            return new Result(List.copyOf(command), finished ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                    !finished);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static Result run(Duration timeout, String... command) throws IOException {
        return run(timeout, List.of(command));
    }

    /** Runs and requires exit 0 within the limit; returns stdout. */
    public static String check(Duration timeout, String... command) throws IOException {
        return run(timeout, command).check().stdout();
    }

    /** Kills a process we started and everything it started, and waits (bounded) for it to go. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Absolute path of an executable: PATH first, then the sbin directories root's PATH may lack. */
    public static String find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }
}
