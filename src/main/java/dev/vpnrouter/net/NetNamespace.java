package dev.vpnrouter.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}) without leaving the JVM: a fresh platform
 * thread calls {@code setns(2)} (which moves only that OS thread) and runs the action. Sockets and TUN devices are
 * bound to the namespace they were created in, so what the action opens stays there and may be used from any
 * thread afterwards. The thread ends with the action, so no thread is ever handed back in the wrong namespace.
 */
public final class NetNamespace {
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private NetNamespace() {
    }

    /** The file {@code ip netns} keeps for a named namespace. */
    public static Path pathOf(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a namespace name: " + name);
        }
        return NETNS_DIR.resolve(name);
    }

    /** Runs {@code action} in namespace {@code name} and returns its result; its exceptions pass through. */
    public static <T> T call(String name, Callable<T> action) throws IOException {
        Path path = pathOf(name);
        if (!Files.exists(path)) {
            throw new IOException("no network namespace " + name + " (" + path + " missing)");
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns-" + name).daemon(true).unstarted(() -> {
            try {
                int fd = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
                try {
                    Libc.setns(fd, Libc.CLONE_NEWNET);
                } finally {
                    Libc.close(fd);
                }
                result.set(action.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running in namespace " + name, e);
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IOException("in namespace " + name + ": " + t, t);
        }
        return result.get();
    }

    /** Like {@link #call} for actions without a result. */
    public static void run(String name, IoAction action) throws IOException {
        call(name, () -> {
            action.run();
            return null;
        });
    }

    /** An action that may throw checked exceptions. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws Exception;
    }
}
