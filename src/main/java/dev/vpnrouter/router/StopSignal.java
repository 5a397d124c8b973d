package dev.vpnrouter.router;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT as a request to stop, so {@code run} can send its Deletes and exit 0 from its main thread (a
 * plain shutdown hook would end the JVM with status 143). When the JVM does not let us handle a signal (-Xrs),
 * the caller's shutdown hook still stops the router, only with the JVM's own exit status.
 */
public final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String reason = "";

    private StopSignal() {
    }

    /** Handles TERM and INT from now on; returns the handle to wait on. */
    public static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> s.request("SIG" + sig.getName()));
            } catch (IllegalArgumentException e) {
                // the signal is reserved by the VM (-Xrs): the shutdown hook covers it
            }
        }
        return s;
    }

    /** Asks to stop (a signal, a test, a fatal error of the router). */
    public void request(String why) {
        if (requested.getCount() > 0) {
            reason = why;
            requested.countDown();
        }
    }

    /** Waits until a stop is requested; returns why. */
    public String await() throws InterruptedException {
        requested.await();
        return reason;
    }

    /** Waits at most {@code millis}; true when a stop was requested. */
    public boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * A {@link Runnable} that runs {@code action} only the first time; a second caller waits until that run has
     * finished (the main thread and a shutdown hook share it).
     */
    public static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Object lock = new Object();
        return () -> {
            synchronized (lock) {
                if (done.compareAndSet(false, true)) {
                    action.run();
                }
            }
        };
    }
}
