package dev.vpnrouter.packaging;

import dev.vpnrouter.app.ManPages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The .deb the package phase built (jdeb, pom.xml), read as dpkg would read it: its members, control fields,
 * conffiles, md5sums, file list with modes and owners, and the systemd unit. Runs in failsafe's integration-test
 * phase, after packaging; needs neither root nor dpkg.
 */
class DebPackageIT {
    /** Debian's version of the Maven version: jdeb turns -SNAPSHOT into ~snapshot, which sorts before the release. */
    static final String VERSION = System.getProperty("vpnrouter.version", "").replace("-SNAPSHOT", "~snapshot");
    static final String ARCH = System.getProperty("vpnrouter.deb.arch", "");

    static DebArchive deb;

    static Path debFile() {
        assertThat(VERSION).as("failsafe passes -Dvpnrouter.version (pom.xml)").isNotEmpty();
        assertThat(ARCH).as("failsafe passes -Dvpnrouter.deb.arch (pom.xml)").isNotEmpty();
        return Path.of("target", "vpnrouter_" + VERSION + "_" + ARCH + ".deb");
    }

    @BeforeAll
    static void read() throws IOException {
        Path file = debFile();
        assertThat(file).as("the package phase builds it").isRegularFile();
        deb = DebArchive.read(file);
    }

    @Test
    void isADebianBinaryPackageDpkgCanRead() {
        assertThat(deb.members()).containsExactly("debian-binary", "control.tar.gz", "data.tar.gz");
        assertThat(deb.debianBinary()).isEqualTo("2.0\n");
    }

    @Test
    void controlFieldsSayWhatItIsAndWhatItNeeds() {
        Map<String, String> f = deb.fields();
        assertThat(f).containsEntry("Package", "vpnrouter").containsEntry("Version", VERSION)
                .containsEntry("Architecture", ARCH).containsEntry("Section", "net");
        assertThat(VERSION).matches("[0-9][0-9A-Za-z.+~]*"); // Debian policy 5.6.12, no hyphen (no revision)
        assertThat(f.get("Maintainer")).matches("[^<>]+ <[^@<>\\s]+@[^@<>\\s]+>");
        // Java 25 from Temurin's or Debian's packages; the launcher finds it under /usr/lib/jvm. `ip` for set-up.
        assertThat(f.get("Depends").split(",\\s*")).containsExactly(
                "temurin-25-jre | temurin-25-jdk | openjdk-25-jre-headless | openjdk-25-jdk-headless", "iproute2");
        String description = f.get("Description");
        assertThat(description.lines().findFirst().orElseThrow())
                .isEqualTo("IPsec VPN router that runs Cisco IOS configurations");
        assertThat(description.lines().skip(1).toList()).isNotEmpty().allMatch(l -> l.startsWith(" "))
                .allMatch(l -> l.length() <= 80);
        assertThat(Integer.parseInt(f.get("Installed-Size"))).as("KiB").isGreaterThan(1000);
    }

    @Test
    void theFilesAreTheJarTheLauncherTheUnitTheManPagesAndTheExamples() throws IOException {
        Map<String, DebArchive.Entry> files = deb.data().entrySet().stream().filter(e -> !e.getValue().isDirectory())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        List<String> man = ManPages.pages().stream().map(p -> "usr/share/man/man1/" + p.fileName()).toList();
        assertThat(man).contains("usr/share/man/man1/vpnrouter.1.gz", "usr/share/man/man1/vpnrouter-run.1.gz");
        List<String> expected = new java.util.ArrayList<>(List.of(
                "usr/share/vpnrouter/vpnrouter.jar",
                "usr/bin/vpnrouter",
                "lib/systemd/system/vpnrouter@.service",
                "etc/default/vpnrouter",
                "usr/share/doc/vpnrouter/examples/hub.cfg",
                "usr/share/doc/vpnrouter/examples/spoke.cfg",
                "usr/share/doc/vpnrouter/copyright",
                "usr/share/doc/vpnrouter/logging.md"));
        expected.addAll(man);
        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(expected);

        assertThat(deb.data().values()).as("owned by root").allMatch(e -> e.user().equals("root")
                && e.group().equals("root"));
        assertThat(files.get("usr/bin/vpnrouter").mode()).isEqualTo(0755);
        assertThat(files.values()).filteredOn(e -> !e.path().equals("usr/bin/vpnrouter"))
                .allMatch(e -> e.mode() == 0644, "mode 0644");
        assertThat(deb.data()).containsKey("etc/vpnrouter/");
        assertThat(deb.data().get("etc/vpnrouter/").mode()).as("configurations hold keys").isEqualTo(0750);

        // The jar is the one the build shaded, and runs Main.
        assertThat(files.get("usr/share/vpnrouter/vpnrouter.jar").content())
                .isEqualTo(Files.readAllBytes(Path.of("target/vpnrouter.jar")));
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(
                files.get("usr/share/vpnrouter/vpnrouter.jar").content()))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.vpnrouter.app.Main");
        }
        // The examples are the seed, unchanged.
        assertThat(files.get("usr/share/doc/vpnrouter/examples/hub.cfg").content())
                .isEqualTo(Files.readAllBytes(Path.of("examples/seed/hub.cfg")));
        // The man pages are the generator's.
        for (ManPages.Page page : ManPages.pages()) {
            byte[] gz = files.get("usr/share/man/man1/" + page.fileName()).content();
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(page.troff());
        }
        // The launcher finds Java 25 as the repository's does, and its jar next to itself.
        assertThat(files.get("usr/bin/vpnrouter").text()).startsWith("#!/bin/sh\n")
                .contains("/usr/lib/jvm/*", "-ge 25", "/share/vpnrouter/vpnrouter.jar",
                        "--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void conffilesAndMd5sumsCoverWhatDpkgTracks() throws Exception {
        assertThat(deb.control().get("conffiles").text()).isEqualTo("/etc/default/vpnrouter\n");
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : deb.control().get("md5sums").text().split("\n")) {
            sums.put(line.substring(34), line.substring(0, 32));
        }
        List<DebArchive.Entry> files = deb.data().values().stream().filter(e -> !e.isDirectory()).toList();
        assertThat(sums.keySet()).containsExactlyInAnyOrderElementsOf(files.stream().map(DebArchive.Entry::path)
                .toList());
        for (DebArchive.Entry e : files) {
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(e.content()));
            assertThat(sums.get(e.path())).as(e.path()).isEqualTo(md5);
        }
        for (String script : List.of("postinst", "prerm", "postrm")) {
            DebArchive.Entry s = deb.control().get(script);
            assertThat(s.mode()).as(script).isEqualTo(0755);
            // dpkg --root runs them outside the root with DPKG_ROOT set: they must not touch the host's systemd.
            assertThat(s.text()).startsWith("#!/bin/sh\n").contains("set -e\n", "DPKG_ROOT");
        }
    }

    @Test
    void theUnitRunsTheConfigurationNamedByTheInstanceAndStopsAndReloadsByRun() {
        Map<String, List<String>> unit = unitFile(deb.data().get("lib/systemd/system/vpnrouter@.service").text());

        assertThat(unit.get("Service.ExecStart")).containsExactly(
                "/usr/bin/vpnrouter run --config /etc/vpnrouter/%i.cfg $VPNROUTER_RUN_OPTS");
        // reload = SIGHUP, which `run` answers by reading the file again; stop = SIGTERM, which sends Deletes.
        assertThat(unit.get("Service.ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
        assertThat(unit.get("Service.KillSignal")).containsExactly("SIGTERM");
        assertThat(unit.get("Service.KillMode")).containsExactly("mixed");
        assertThat(unit.get("Service.TimeoutStopSec")).containsExactly("20s");
        // Journald gets stdout and stderr (no StandardOutput= that would send them elsewhere), tagged by instance.
        assertThat(unit).doesNotContainKeys("Service.StandardOutput", "Service.StandardError");
        assertThat(unit.get("Service.SyslogIdentifier")).containsExactly("vpnrouter@%i");
        assertThat(unit.get("Service.EnvironmentFile")).containsExactly("-/etc/default/vpnrouter",
                "-/etc/vpnrouter/%i.env");
        // Root, but with only the network capabilities; nothing that breaks TUN, netlink, raw sockets or the JIT.
        assertThat(unit.get("Service.CapabilityBoundingSet")).containsExactly(
                "CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE");
        assertThat(unit.get("Service.DeviceAllow")).containsExactly("/dev/net/tun rw");
        assertThat(unit.get("Service.RestrictAddressFamilies").getFirst().split(" "))
                .contains("AF_INET", "AF_NETLINK", "AF_UNIX");
        assertThat(unit.get("Service.ReadWritePaths")).containsExactly("/etc/vpnrouter"); // write memory
        assertThat(unit).doesNotContainKeys("Service.MemoryDenyWriteExecute", "Service.ProtectKernelTunables",
                "Service.PrivateNetwork", "Service.PrivateDevices", "Service.DynamicUser");
        assertThat(unit.get("Service.RuntimeDirectory")).containsExactly("vpnrouter"); // /run/vpnrouter/*.sock
        assertThat(unit.get("Service.RuntimeDirectoryPreserve")).containsExactly("yes");
        assertThat(unit.get("Unit.After")).containsExactly("network-online.target");
        assertThat(unit.get("Install.WantedBy")).containsExactly("multi-user.target");
    }

    /** SECTION.Key to its values in order (systemd.syntax(7): comments, sections, repeated keys). */
    static Map<String, List<String>> unitFile(String text) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l.substring(1, l.length() - 1);
                continue;
            }
            int eq = l.indexOf('=');
            keys.computeIfAbsent(section + "." + l.substring(0, eq).strip(), k -> new java.util.ArrayList<>())
                    .add(l.substring(eq + 1).strip());
        }
        return keys;
    }
}
