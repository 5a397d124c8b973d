package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The .deb the build made, installed by dpkg into a clean root ({@code dpkg --root}; maintainer scripts run outside
 * it with DPKG_ROOT set, as for any image build): dpkg's view of it, its unit accepted by {@code systemd-analyze
 * verify}, the installed launcher and man pages working, purge; then the unit's own ExecStart, run from that root
 * in the seed topology with the unit's capability bounding set (no systemd runs here to start the unit itself): a
 * strongSwan spoke's tunnel comes up,
 * {@code systemctl reload}'s SIGHUP re-reads the file and the SA stays, a bad file is refused, and
 * {@code systemctl stop}'s SIGTERM sends the Deletes. Runs after packaging (failsafe), as root.
 */
@Interop
class PackageInstallIT {
    private static final Pattern LISTENING = Pattern.compile("listening for IKE on ");

    private static Path deb() {
        String version = System.getProperty("vpnrouter.version", "").replace("-SNAPSHOT", "~snapshot");
        Path deb = Path.of("target", "vpnrouter_" + version + "_" + System.getProperty("vpnrouter.deb.arch", "")
                + ".deb");
        assertThat(deb).as("the package phase builds it (failsafe passes the version and architecture)")
                .isRegularFile();
        return deb.toAbsolutePath();
    }

    private static Command.Result run(Map<String, String> env, String... command) throws IOException {
        if (env.isEmpty()) {
            return Command.run(Duration.ofSeconds(60), List.of(command));
        }
        List<String> withEnv = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> withEnv.add(k + "=" + v));
        withEnv.addAll(List.of(command));
        return Command.run(Duration.ofSeconds(60), withEnv);
    }

    private static Command.Result run(String... command) throws IOException {
        return run(Map.of(), command);
    }

    /** An empty dpkg database under {@code root}: what dpkg --root needs to install into a directory. */
    private static Path cleanRoot(Path root) throws IOException {
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("var/lib/dpkg/available"), "");
        return root;
    }

    /** No Java 25 or iproute2 in a clean root: their packages are the only dependencies forced. */
    private static Command.Result dpkg(Path root, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + root, "--log=" + root.resolve("dpkg.log"),
                "--force-script-chrootless", "--force-depends"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static Map<String, String> java25() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    @Test
    @Timeout(180)
    void installsIntoACleanRootWithAUnitSystemdAcceptsAndPurgesCleanly() throws Exception {
        Prerequisites.require("dpkg", "systemd-analyze", "man");
        Path root = cleanRoot(Topology.workDir("deb-root-" + ProcessHandle.current().pid()).resolve("root"));

        Command.Result install = dpkg(root, "-i", deb().toString());
        assertThat(install.exitCode()).as(install.describe()).isZero();

        assertThat(run("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W",
                "-f=${Status} ${Version} ${Architecture}", "vpnrouter").check().stdout())
                .startsWith("install ok installed ");
        assertThat(run("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f=${Conffiles}",
                "vpnrouter").check().stdout()).matches("(?s)\\s*/etc/default/vpnrouter [0-9a-f]{32}\\s*");
        assertThat(run("dpkg", "--root=" + root, "-L", "vpnrouter").check().stdout().lines().toList())
                .contains("/usr/bin/vpnrouter", "/usr/share/vpnrouter/vpnrouter.jar",
                        "/lib/systemd/system/vpnrouter@.service", "/etc/vpnrouter",
                        "/usr/share/man/man1/vpnrouter-run.1.gz", "/usr/share/doc/vpnrouter/examples/hub.cfg");

        // systemd-analyze verify in the root, which gets what any Debian system has: the base targets, /bin/kill.
        Path units = root.resolve("lib/systemd/system");
        try (Stream<Path> targets = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path t : targets.filter(p -> p.toString().endsWith(".target")).toList()) {
                Files.copy(t, units.resolve(t.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/kill"), root.resolve("bin/kill"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES);
        Command.Result verify = run("systemd-analyze", "verify", "--man=no", "--root=" + root,
                "vpnrouter@hub.service");
        // A misspelt key or value is only a warning: verify's output must be empty too.
        assertThat(verify.exitCode()).as(verify.describe()).isZero();
        assertThat(verify.stdout() + verify.stderr()).as(verify.describe()).isEmpty();

        // The installed launcher runs the installed jar; check reads the installed example as the repository's.
        Path launcher = root.resolve("usr/bin/vpnrouter");
        assertThat(run(java25(), launcher.toString(), "--version").check().stdout()).isEqualTo("vpnrouter 0.1.0\n");
        Command.Result check = run(java25(), launcher.toString(), "check",
                root.resolve("usr/share/doc/vpnrouter/examples/hub.cfg").toString());
        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.stdout()).contains("hub.cfg: 0 error(s)");
        // The installed pages format; man --warnings reports troff problems on stderr.
        Command.Result man = run(Map.of("MANWIDTH", "100"), "man", "--warnings", "-l",
                root.resolve("usr/share/man/man1/vpnrouter-run.1.gz").toString());
        assertThat(man.exitCode()).as(man.describe()).isZero();
        assertThat(man.stderr()).isEmpty();
        assertThat(man.stdout()).contains("VPNROUTER-RUN(1)", "--config FILE", "SIGHUP");

        // Purge: the package's files, its conffile and the SSH host key go; the admin's configuration stays.
        Files.writeString(root.resolve("etc/vpnrouter/hub.cfg"), "hostname Hub\n");
        Files.createDirectories(root.resolve("var/lib/vpnrouter"));
        Files.writeString(root.resolve("var/lib/vpnrouter/ssh_host_ec_key"), "key");
        Command.Result purge = dpkg(root, "--purge", "vpnrouter");
        assertThat(purge.exitCode()).as(purge.describe()).isZero();
        assertThat(launcher).doesNotExist();
        assertThat(root.resolve("usr/share/vpnrouter/vpnrouter.jar")).doesNotExist();
        assertThat(root.resolve("etc/default/vpnrouter")).doesNotExist();
        assertThat(root.resolve("var/lib/vpnrouter")).doesNotExist();
        assertThat(root.resolve("etc/vpnrouter/hub.cfg")).hasContent("hostname Hub");
    }

    @Test
    @Timeout(240)
    void theUnitsCommandRunsTheHubReloadsOnSighupKeepingTheSaAndSendsDeletesOnSigterm() throws Exception {
        Prerequisites.require("dpkg", "setpriv", "ip", "ping", "charon", "swanctl", "nsenter", "dnsmasq", "udhcpc");
        Path work = Topology.workDir("deb-run-" + ProcessHandle.current().pid());
        Path root = cleanRoot(work.resolve("root"));
        Command.Result install = dpkg(root, "-i", deb().toString());
        assertThat(install.exitCode()).as(install.describe()).isZero();

        // vpnrouter@hub's ExecStart as systemd would run it, with the root's paths for /usr and /etc.
        String unit = Files.readString(root.resolve("lib/systemd/system/vpnrouter@.service"));
        Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit);
        assertThat(exec.find()).isTrue();
        List<String> command = new ArrayList<>();
        for (String word : exec.group(1).replace("%i", "hub").replace("$VPNROUTER_RUN_OPTS", "").strip()
                .split("\\s+")) {
            command.add(word.startsWith("/usr/") || word.startsWith("/etc/") ? root + word : word);
        }
        assertThat(command).containsExactly(root + "/usr/bin/vpnrouter", "run", "--config",
                root + "/etc/vpnrouter/hub.cfg");
        // With the unit's capabilities only (root keeps just its bounding set) and no new privileges: the router
        // must work with what the unit grants, not with a test's full root.
        Matcher caps = Pattern.compile("(?m)^CapabilityBoundingSet=(.*)$").matcher(unit);
        assertThat(caps.find()).isTrue();
        StringBuilder bounding = new StringBuilder("-all");
        for (String cap : caps.group(1).strip().split("\\s+")) {
            bounding.append(",+").append(cap.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", ""));
        }
        assertThat(unit).contains("\nNoNewPrivileges=yes\n");
        command.addAll(0, List.of("setpriv", "--no-new-privs", "--bounding-set=" + bounding,
                "--inh-caps=-all"));
        // The console socket of a router in a test namespace stays out of the host's /run/vpnrouter.
        command.addAll(List.of("--control-socket", work.resolve("hub.sock").toString()));
        Path hubCfg = root.resolve("etc/vpnrouter/hub.cfg");
        String seed = EngineStrongSwanInteropTest.seed("hub.cfg");
        Files.writeString(hubCfg, seed);

        try (Topology t = Topology.builder(work).build()) {
            Daemon hub = t.hub().start("packaged-hub", work.resolve("packaged-hub.out"), command, java25());
            hub.awaitLog(LISTENING, Duration.ofSeconds(60));
            // ip netns exec, setpriv and the launcher exec() in turn: the pid is the JVM's, as $MAINPID would be.
            String status = Files.readString(Path.of("/proc", Long.toString(hub.pid()), "status"));
            long netBindService = 1L << 10;
            long netAdmin = 1L << 12;
            long netRaw = 1L << 13;
            assertThat(status).contains("CapEff:\t" + String.format("%016x", netBindService | netAdmin | netRaw))
                    .contains("NoNewPrivs:\t1").containsPattern("Name:\tjava");

            StrongSwan swan = t.own(StrongSwan.start(t.spoke(), work.resolve("swan-spoke"),
                    SeedPeers.spoke(Topology.HUB_OUTSIDE)));
            swan.initiate(SeedPeers.SPOKE_CHILD, Duration.ofSeconds(40));
            String before = swan.awaitEstablished(SeedPeers.SPOKE_CONN, SeedPeers.SPOKE_CHILD, Duration.ofSeconds(10));
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));

            // systemctl reload: a changed file (another wildcard key, for spokes that negotiate from now on).
            Files.writeString(hubCfg, seed.replace("key cisco123", "key changed-on-reload"));
            sighup(hub);
            hub.awaitLog(Pattern.compile("reloaded " + Pattern.quote(hubCfg.toString())), Duration.ofSeconds(20));
            assertThat(swan.listSas()).as("the same IKE and IPsec SAs after the reload")
                    .contains(ikeSaId(before), childSpis(before));
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));

            // A file with an error: refused with the IOS error and its caret; the router runs on, the SA stays.
            Files.writeString(hubCfg, seed.replace("\nend", "\ncrypto isakmp frobnicate 7\nend"));
            sighup(hub);
            String refused = hub.awaitLog(Pattern.compile("reload refused: 1 error"), Duration.ofSeconds(20));
            assertThat(refused).contains("error: % Invalid input detected at '^' marker.\n"
                    + "crypto isakmp frobnicate 7\n              ^\n");
            assertThat(hub.isAlive()).isTrue();
            t.spokeHost().assertPing(Topology.HUB_HOST, 2, Duration.ofSeconds(10));

            // systemctl stop: SIGTERM (KillMode=mixed sends it to the main process, the JVM the launcher exec'd).
            hub.stop(Duration.ofSeconds(20));
            assertThat(hub.awaitExit(Duration.ofSeconds(1))).as(hub.logTail(20)).isZero();
            assertThat(hub.log()).contains("vpnrouter: SIGTERM: stopping")
                    .contains("vpnrouter: Hub stopped; Deletes sent for 1 ISAKMP SA(s)");
            Await.until("strongSwan to drop its SAs after our Deletes", Duration.ofSeconds(10), () -> {
                try {
                    return swan.listSas();
                } catch (IOException e) {
                    return e.toString();
                }
            }, sas -> !sas.contains("ESTABLISHED"));
        }
    }

    /** systemctl reload's ExecReload: {@code kill -HUP $MAINPID}; the launcher exec'd java, so that is the JVM. */
    private static void sighup(Daemon daemon) throws IOException {
        run("/bin/kill", "-HUP", Long.toString(daemon.pid())).check();
    }

    /** strongSwan's IKE SA line, e.g. {@code hub: #1, ESTABLISHED, IKEv1, 5b3c...}: its unique id and SPIs. */
    private static String ikeSaId(String listSas) {
        Matcher m = Pattern.compile("#\\d+, ESTABLISHED, IKEv1, [0-9a-f]+_i\\*? [0-9a-f]+_r\\*?").matcher(listSas);
        assertThat(m.find()).as(listSas).isTrue();
        return m.group();
    }

    /** The child SA's SPIs line, e.g. {@code in  c1d2e3f4, ...}. */
    private static String childSpis(String listSas) {
        Matcher m = Pattern.compile("in  [0-9a-f]{8}").matcher(listSas);
        assertThat(m.find()).as(listSas).isTrue();
        return m.group();
    }
}
