package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real strongSwan (charon + swanctl) in a network namespace. Each instance has its own directory with
 * strongswan.conf, swanctl/swanctl.conf, a run/ directory and charon.log. charon's pid file and vici socket paths
 * are fixed at build time, so it runs as {@code ip netns exec NS sh -c 'mount --bind DIR/run /run; mount --bind
 * DIR/swanctl /etc/swanctl; exec charon'}: {@code ip netns exec} gives it a private mount namespace, so the bind
 * mounts are seen by this charon alone. swanctl runs in the same namespaces through {@code nsenter -t PID -m -n}.
 *
 * <p>The kernel has no XFRM, so the configuration always loads {@code kernel-libipsec} before {@code kernel-netlink}
 * (ESP in userspace through an {@code ipsec0} TUN); libipsec handles only UDP-encapsulated ESP, so every connection
 * needs {@code encap = yes} (the generators in {@link SeedPeers} set it).
 */
public final class StrongSwan implements AutoCloseable {
    /** Plugins for IKEv1 PSK + Xauth + Mode Config with userspace ESP; kernel-libipsec first. */
    public static final String PLUGINS = "random nonce openssl pem pkcs1 x509 revocation constraints pubkey "
            + "kernel-libipsec kernel-netlink socket-default vici xauth-generic unity attr";
    private static final Duration SWANCTL_TIMEOUT = Duration.ofSeconds(20);

    private final NetNs ns;
    private final Path dir;
    private final Daemon charon;
    private final Path strongswanConf;

    private StrongSwan(NetNs ns, Path dir, Daemon charon, Path strongswanConf) {
        this.ns = ns;
        this.dir = dir;
        this.charon = charon;
        this.strongswanConf = strongswanConf;
    }

    /** Options of strongswan.conf that tests vary. */
    public record Options(boolean aggressiveModePsk, int ikeLogLevel, String extraCharonSettings) {
        /** Aggressive Mode PSK allowed (vpnc needs it), IKE log level 2. */
        public static Options defaults() {
            return new Options(true, 2, "");
        }

        /** Level 4 logs every derived key (SKEYID..., Ka, IVs): for known-answer comparisons. */
        public Options withIkeLogLevel(int level) {
            return new Options(aggressiveModePsk, level, extraCharonSettings);
        }

        public Options withAggressiveModePsk(boolean allowed) {
            return new Options(allowed, ikeLogLevel, extraCharonSettings);
        }

        /** Raw lines added inside the {@code charon { }} section. */
        public Options withCharonSettings(String settings) {
            return new Options(aggressiveModePsk, ikeLogLevel, settings);
        }
    }

    /** Starts charon in {@code ns} with {@code swanctlConf} written to its swanctl.conf, and loads it. */
    public static StrongSwan start(NetNs ns, Path dir, String swanctlConf) throws IOException {
        return start(ns, dir, swanctlConf, Options.defaults());
    }

    /**
     * Writes the configuration, starts charon, waits (bounded) for its vici socket, then runs
     * {@code swanctl --load-all}. Fails with charon's log when any step does not complete.
     */
    public static StrongSwan start(NetNs ns, Path dir, String swanctlConf, Options options) throws IOException {
        Prerequisites.require("charon", "swanctl", "nsenter");
        Path abs = dir.toAbsolutePath();
        Path run = abs.resolve("run");
        Path swanctlDir = abs.resolve("swanctl");
        Files.createDirectories(run);
        Files.deleteIfExists(run.resolve("charon.vici"));
        Files.deleteIfExists(run.resolve("charon.pid"));
        for (String sub : new String[] {"conf.d", "x509", "x509ca", "private", "rsa", "ecdsa", "pkcs8", "pkcs12"}) {
            Files.createDirectories(swanctlDir.resolve(sub));
        }
        Files.writeString(swanctlDir.resolve("swanctl.conf"), swanctlConf);
        Path conf = abs.resolve("strongswan.conf");
        Path log = abs.resolve("charon.log");
        Files.deleteIfExists(log);
        Files.writeString(conf, strongswanConf(log, options));
        String script = "mount --bind " + run + " /run && mount --bind " + swanctlDir + " /etc/swanctl && exec "
                + Prerequisites.CHARON;
        Daemon daemon = ns.start("charon", abs.resolve("charon.stdout"), List.of("sh", "-c", script),
                Map.of("STRONGSWAN_CONF", conf.toString()));
        StrongSwan swan = new StrongSwan(ns, abs, daemon, conf);
        try {
            swan.awaitFile(run.resolve("charon.vici"), Duration.ofSeconds(15));
            swan.swanctl("--load-all").check();
        } catch (IOException | AssertionError e) {
            String story = swan.describeFailure("charon did not start in " + ns.name() + ": " + e.getMessage());
            swan.close();
            throw new AssertionError(story, e);
        }
        return swan;
    }

    static String strongswanConf(Path log, Options options) {
        return """
                # Generated by the interop harness.
                charon {
                  load = %s
                  i_dont_care_about_security_and_use_aggressive_mode_psk = %s
                  install_virtual_ip = yes
                  retransmit_tries = 3
                  retransmit_timeout = 2.0
                  %s
                  filelog {
                    charon {
                      path = %s
                      time_format = %%H:%%M:%%S
                      append = no
                      flush_line = yes
                      default = 1
                      ike = %d
                      cfg = 2
                      knl = 1
                      net = 1
                      enc = 1
                      esp = 1
                    }
                  }
                  syslog {
                    daemon {
                      default = -1
                    }
                  }
                }
                swanctl {
                  load = pem pkcs1 x509 revocation constraints pubkey openssl random
                }
                """.formatted(PLUGINS, options.aggressiveModePsk() ? "yes" : "no", options.extraCharonSettings(),
                log, options.ikeLogLevel());
    }

    /** Runs {@code swanctl args...} against this charon; never throws for a non-zero exit. */
    public Command.Result swanctl(String... args) throws IOException {
        return swanctl(SWANCTL_TIMEOUT, args);
    }

    public Command.Result swanctl(Duration timeout, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Prerequisites.resolve("nsenter"), "-t",
                Long.toString(charon.pid()), "-m", "-n", "env", "STRONGSWAN_CONF=" + strongswanConf,
                Prerequisites.resolve("swanctl")));
        command.addAll(List.of(args));
        return Command.run(timeout, command);
    }

    /** Replaces swanctl.conf and reloads everything (connections, secrets, pools). */
    public void reload(String swanctlConf) throws IOException {
        Files.writeString(dir.resolve("swanctl/swanctl.conf"), swanctlConf);
        Command.Result result = swanctl("--load-all");
        if (!result.ok()) {
            throw new AssertionError(describeFailure("swanctl --load-all failed:\n" + result.describe()));
        }
    }

    /**
     * Initiates a CHILD_SA (and its IKE_SA) and waits until swanctl reports success, at most {@code timeout}.
     * Fails with swanctl's output and the tail of charon's log.
     */
    public void initiate(String child, Duration timeout) throws IOException {
        long seconds = Math.max(1, timeout.toSeconds());
        Command.Result result = swanctl(timeout.plusSeconds(5), "--initiate", "--child", child, "--timeout",
                Long.toString(seconds));
        if (!result.ok()) {
            throw new AssertionError(describeFailure("swanctl --initiate --child " + child + " failed:\n"
                    + result.describe()));
        }
    }

    /**
     * Waits until IKE SA {@code ike} is ESTABLISHED and its CHILD_SA {@code child} INSTALLED (the responder side
     * of {@link #initiate}); polls {@code swanctl --list-sas} at most until {@code timeout}.
     */
    public String awaitEstablished(String ike, String child, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pattern installed = Pattern.compile("^\\s+" + Pattern.quote(child) + ": #\\d+, .*INSTALLED",
                Pattern.MULTILINE);
        String last = "";
        while (true) {
            Command.Result result = swanctl("--list-sas", "--ike", ike);
            last = result.stdout();
            if (result.ok() && last.contains("ESTABLISHED") && installed.matcher(last).find()) {
                return last;
            }
            if (!charon.isAlive()) {
                throw new AssertionError(describeFailure("charon died while waiting for " + ike + "/" + child));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(describeFailure("no ESTABLISHED " + ike + " with INSTALLED " + child
                        + " within " + timeout.toMillis() + " ms; swanctl --list-sas:\n" + last));
            }
            Daemon.sleep(200);
        }
    }

    /** {@code swanctl --list-sas} output. */
    public String listSas() throws IOException {
        return swanctl("--list-sas").check().stdout();
    }

    public void terminateIke(String ike, Duration timeout) throws IOException {
        swanctl(timeout.plusSeconds(5), "--terminate", "--ike", ike, "--timeout",
                Long.toString(Math.max(1, timeout.toSeconds()))).check();
    }

    public NetNs namespace() {
        return ns;
    }

    public Path directory() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("charon.log");
    }

    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile() + ")";
        }
    }

    public String logTail(int lines) {
        return Daemon.tail(log(), lines);
    }

    public long pid() {
        return charon.pid();
    }

    /** A failure message with the SAs, the namespace's routes and the tail of charon's log. */
    public String describeFailure(String what) {
        StringBuilder b = new StringBuilder(what).append('\n');
        if (charon.isAlive()) {
            try {
                b.append("--- swanctl --list-sas ---\n").append(swanctl("--list-sas").stdout());
            } catch (IOException e) {
                b.append(e.getMessage()).append('\n');
            }
        } else {
            b.append("charon is not running; its stdout:\n").append(charon.logTail(20)).append('\n');
        }
        b.append(ns.diagnostics());
        b.append("--- ").append(logFile()).append(" (tail) ---\n").append(logTail(60));
        return b.toString();
    }

    private void awaitFile(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (!charon.isAlive()) {
                throw new AssertionError("charon exited before creating " + file);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + file + " within " + timeout.toMillis() + " ms");
            }
            Daemon.sleep(50);
        }
    }

    /** SIGTERM (charon sends Delete payloads for its SAs), bounded wait, then kill. */
    @Override
    public void close() {
        charon.stop(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "StrongSwan[" + ns.role() + ", pid " + charon.pid() + "]";
    }
}
