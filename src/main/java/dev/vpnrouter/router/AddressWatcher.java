package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Follows the address of an {@code ip address dhcp} interface: asks the kernel for the Linux interface's IPv4
 * addresses once per period (default 1 s) and moves the {@link RouterRuntime} when the address it runs on is gone
 * and another one is there ({@link RouterRuntime#changeAddress}). A new address must be seen on two polls in a row
 * before the router moves: a DHCP client script sets the address first and the default route after it, and the
 * Deletes for the old SAs need that route.
 *
 * <p>Why polling and not rtnetlink notifications: a renumbering is rare, a 1 s delay is small beside the 30 s a
 * spoke may take to come back, and one {@code NetworkInterface} lookup per second costs nothing measurable; an
 * RTM_NEWADDR/RTM_DELADDR socket would need its own FFM binding and message parser for no visible gain.
 *
 * <p>The thread is started by {@link #start}, so it lives in the network namespace of the caller.
 */
public final class AddressWatcher implements AutoCloseable {
    /** Where the addresses come from; {@link LinuxInterfaces#addressesOf(String)} on a real box. */
    @FunctionalInterface
    public interface AddressSource {
        List<Integer> addresses(String linuxName) throws IOException;
    }

    /** What the watcher moves: a {@link RouterRuntime} on a real box. */
    public interface Target {
        int address();

        CompletableFuture<RouterRuntime.AddressChange> changeAddress(int newAddress);
    }

    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

    private final Target runtime;
    private final String iosName;
    private final String linuxName;
    private final AddressSource source;
    private final Consumer<String> log;
    private final long periodMillis;
    private final Thread thread;
    private volatile boolean running = true;
    private CompletableFuture<RouterRuntime.AddressChange> pending;
    private boolean reportedLoss;
    private Integer candidate;
    private String lastError;

    AddressWatcher(Target runtime, String iosName, String linuxName, Duration period,
            AddressSource source, Consumer<String> log) {
        this.runtime = runtime;
        this.iosName = iosName;
        this.linuxName = linuxName;
        this.source = source;
        this.log = log;
        this.periodMillis = Math.max(10, period.toMillis());
        this.thread = Thread.ofPlatform().name("vpnrouter-dhcp-" + linuxName).daemon(true).unstarted(this::run);
    }

    /** Starts watching {@code linuxName} (standing for {@code iosName}) every {@code period}. */
    public static AddressWatcher start(Target runtime, String iosName, String linuxName, Duration period,
            AddressSource source, Consumer<String> log) {
        AddressWatcher w = new AddressWatcher(runtime, iosName, linuxName, period, source, log);
        w.thread.start();
        return w;
    }

    /** With the kernel as the source and the default period. */
    public static AddressWatcher start(Target runtime, String iosName, String linuxName, Consumer<String> log) {
        return start(runtime, iosName, linuxName, DEFAULT_PERIOD, LinuxInterfaces::addressesOf, log);
    }

    /**
     * The decision: the address to move to, or null to stay. Stay while the current address is still on the
     * interface (a renewal, or a second address added beside it) and while it has none (between leases).
     */
    static Integer nextAddress(int current, List<Integer> now) {
        if (now.isEmpty() || now.contains(current)) {
            return null;
        }
        return now.getFirst();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                poll();
            }
        }
    }

    /** One look at the interface; package-private so tests can step it. */
    void poll() {
        if (pending != null && !pending.isDone()) {
            return; // the runtime is still moving
        }
        List<Integer> now;
        try {
            now = source.addresses(linuxName);
            lastError = null;
        } catch (IOException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastError)) {
                lastError = String.valueOf(e.getMessage());
                log.accept("vpnrouter: cannot read the addresses of " + linuxName + ": " + lastError);
            }
            return;
        }
        int current = runtime.address();
        if (now.isEmpty()) {
            if (!reportedLoss) {
                reportedLoss = true;
                log.accept("vpnrouter: " + iosName + " (" + linuxName + ") has no IPv4 address now; staying on "
                        + Ipv4.format(current) + " until its DHCP client configures one");
            }
            return;
        }
        reportedLoss = false;
        Integer next = nextAddress(current, now);
        if (next == null || !next.equals(candidate)) {
            candidate = next; // settle for one period first
            return;
        }
        candidate = null;
        log.accept("vpnrouter: " + iosName + " (" + linuxName + ") address determined by DHCP changed: "
                + Ipv4.format(current) + " -> " + Ipv4.format(next));
        pending = runtime.changeAddress(next);
        pending.whenComplete((change, failure) -> {
            if (failure != null) {
                log.accept("vpnrouter: cannot move to " + Ipv4.format(next) + " (will retry): "
                        + failure.getMessage());
            }
        });
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
