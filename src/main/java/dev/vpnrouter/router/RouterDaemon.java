package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EnginePolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code vpnrouter run} once the configuration is compiled: takes the outside address from the Linux interface the
 * crypto map's IOS interface maps to, runs a {@link RouterRuntime} on it until SIGTERM (which sends Deletes to the
 * peers through a shutdown hook), and follows address changes of that interface (a DHCP client renumbering a
 * spoke): the runtime moves to the new address and, where the policy has static crypto map entries, brings them
 * up again.
 */
public final class RouterDaemon {
    /** Exit codes: 0 stopped by signal or request, 1 could not start or the loop failed. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;

    /** What the command line decides beyond the policy. */
    public record Options(boolean engineDebug, Path keyLog, Duration addressPoll) {
        public static Options defaults() {
            return new Options(false, null, Duration.ofSeconds(2));
        }

        public Options withEngineDebug(boolean on) {
            return new Options(on, keyLog, addressPoll);
        }

        public Options withKeyLog(Path file) {
            return new Options(engineDebug, file, addressPoll);
        }
    }

    private RouterDaemon() {
    }

    /**
     * Runs until the JVM is asked to stop. Messages (the one-line summary, failures, debug lines when asked) go to
     * {@code out}. Returns the exit code.
     */
    public static int run(EnginePolicy policy, String linuxInterface, Options options, PrintStream out) {
        int address;
        try {
            address = ipv4Of(linuxInterface);
        } catch (IOException e) {
            out.println("vpnrouter: " + e.getMessage());
            return EXIT_FAILED;
        }
        boolean initiates = initiates(policy);
        RouterRuntime runtime;
        try {
            runtime = RouterRuntime.builder(policy, address)
                    .engineDebug(options.engineDebug())
                    .debugSink(printing(out, options.engineDebug()))
                    .keyLog(options.keyLog())
                    .connectAtStart(initiates)
                    .start();
        } catch (IOException e) {
            out.println(e.getMessage());
            return EXIT_FAILED;
        }
        Thread hook = Thread.ofPlatform().name("vpnrouter-shutdown").unstarted(() -> {
            if (!runtime.stop(Duration.ofSeconds(5))) {
                out.println("vpnrouter: the router did not stop within 5 s; sockets closed");
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);

        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("vpnrouter-address-watch").daemon(true).unstarted(r));
        long poll = options.addressPoll().toMillis();
        watch.scheduleWithFixedDelay(() -> followAddress(runtime, linuxInterface, initiates, out), poll, poll,
                TimeUnit.MILLISECONDS);
        try {
            while (!runtime.awaitTermination(Duration.ofDays(1))) {
                // keep waiting: the router runs until stopped
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.stop(Duration.ofSeconds(5));
        } finally {
            watch.shutdownNow();
        }
        return runtime.failure() == null ? EXIT_OK : EXIT_FAILED;
    }

    /** One poll of the interface: a new address moves the router; a vanished one is waited out. */
    private static void followAddress(RouterRuntime runtime, String linuxInterface, boolean initiates,
            PrintStream out) {
        int now;
        try {
            now = ipv4Of(linuxInterface);
        } catch (IOException e) {
            return; // between leases: keep the old sockets until an address appears
        }
        if (now == runtime.localAddress() || !runtime.isRunning()) {
            return;
        }
        runtime.changeLocalAddress(now).whenComplete((ok, failure) -> {
            if (failure != null) {
                out.println("vpnrouter: cannot move to " + Ipv4.format(now) + ": " + failure.getMessage());
            } else if (initiates) {
                runtime.connectAll();
            }
        });
    }

    /** The first IPv4 address of a Linux interface, as the kernel holds it now (static or from DHCP). */
    public static int ipv4Of(String linuxInterface) throws IOException {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(linuxInterface);
        } catch (SocketException e) {
            throw new IOException("cannot read interface " + linuxInterface + ": " + e.getMessage(), e);
        }
        if (nic == null) {
            throw new IOException("no Linux interface " + linuxInterface);
        }
        for (InterfaceAddress a : nic.getInterfaceAddresses()) {
            InetAddress inet = a.getAddress();
            if (inet instanceof Inet4Address) {
                return Ipv4.fromBytes(inet.getAddress(), 0);
            }
        }
        throw new IOException("interface " + linuxInterface + " has no IPv4 address (is its DHCP client done?)");
    }

    /** Runtime messages always; engine debug lines only when asked. */
    private static DebugSink printing(PrintStream out, boolean engineDebug) {
        return (category, line) -> {
            if (category == null) {
                out.println(line);
            } else if (engineDebug || line.contains("%CRYPTO-")) {
                out.println(line);
            }
        };
    }

    /** Static crypto map entries with a peer: this router starts negotiations itself. */
    static boolean initiates(EnginePolicy policy) {
        for (ChildPolicy entry : policy.cryptoMap()) {
            if (!entry.dynamic() && !entry.peers().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
