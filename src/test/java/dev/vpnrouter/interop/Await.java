package dev.vpnrouter.interop;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling for tests: every wait has a limit and fails with what it last saw. */
public final class Await {
    private Await() {
    }

    /**
     * Polls {@code probe} every 100 ms until it returns a value {@code accept} likes; fails after {@code timeout}
     * with {@code what} and the last value seen.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        while (true) {
            last = probe.get();
            if (accept.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; last seen: " + last);
            }
            Daemon.sleep(100);
        }
    }
}
