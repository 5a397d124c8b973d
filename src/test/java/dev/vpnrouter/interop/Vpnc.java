package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vpnc, the open Cisco VPN client, in a namespace: Aggressive Mode with the group name as ID_KEY_ID, Xauth, Mode
 * Config pull, Quick Mode. Instead of vpnc-script (which rewrites /etc/resolv.conf) it calls a script of ours that
 * configures the tun device (address, split-include routes or a default route) and records every variable vpnc
 * passed, so a test can assert what Mode Config delivered ({@link Received}).
 */
public final class Vpnc implements AutoCloseable {
    /** NAT traversal modes of vpnc. */
    public enum NatMode {
        NATT("natt"), NONE("none"), FORCE_NATT("force-natt"), CISCO_UDP("cisco-udp");

        final String word;

        NatMode(String word) {
            this.word = word;
        }
    }

    /**
     * What vpnc needs. {@code weakEncryption} must be on for the seed's 3DES; {@code dhGroup} as vpnc spells it
     * ({@code dh2}); {@code pfs} {@code nopfs}, {@code dh2}... or {@code server}.
     */
    public record Config(String gateway, String group, String groupKey, String user, String password,
            NatMode natMode, String dhGroup, String pfs, boolean weakEncryption, String extraLines) {
        /** The seed's VPN client: group testgroup/cisco321, Xauth gfullage, dh2, no PFS, 3DES allowed. */
        public static Config seed(String gateway) {
            return new Config(gateway, SeedPeers.GROUP, SeedPeers.GROUP_KEY, SeedPeers.XAUTH_USER,
                    SeedPeers.XAUTH_PASSWORD, NatMode.NATT, "dh2", "nopfs", true, "");
        }

        public Config withNatMode(NatMode mode) {
            return new Config(gateway, group, groupKey, user, password, mode, dhGroup, pfs, weakEncryption,
                    extraLines);
        }

        public Config withCredentials(String newUser, String newPassword) {
            return new Config(gateway, group, groupKey, newUser, newPassword, natMode, dhGroup, pfs,
                    weakEncryption, extraLines);
        }

        public Config withGroup(String newGroup, String newKey) {
            return new Config(gateway, newGroup, newKey, user, password, natMode, dhGroup, pfs, weakEncryption,
                    extraLines);
        }

        String render(Path script, Path pidFile, boolean interactive) {
            StringBuilder b = new StringBuilder();
            b.append("IPSec gateway ").append(gateway).append('\n');
            b.append("IPSec ID ").append(group).append('\n');
            b.append("IPSec secret ").append(groupKey).append('\n');
            b.append("Xauth username ").append(user).append('\n');
            b.append("Xauth password ").append(password).append('\n');
            b.append("IKE Authmode psk\n");
            b.append("IKE DH Group ").append(dhGroup).append('\n');
            b.append("Perfect Forward Secrecy ").append(pfs).append('\n');
            b.append("NAT Traversal Mode ").append(natMode.word).append('\n');
            if (weakEncryption) {
                b.append("Enable weak encryption\n");
            }
            b.append("Interface name vpnc0\n");
            b.append("Interface mode tun\n");
            b.append("Script ").append(script).append('\n');
            b.append("Pidfile ").append(pidFile).append('\n');
            if (!interactive) {
                b.append("Noninteractive\n");
            }
            b.append(extraLines);
            return b.toString();
        }
    }

    /** What vpnc handed its script on connect: the Mode Config and Unity attributes it received. */
    public record Received(Map<String, String> variables) {
        public String variable(String name) {
            return variables.get(name);
        }

        /** INTERNAL_IP4_ADDRESS as an {@link Ipv4} int. */
        public int address() {
            return Ipv4.parse(variables.get("INTERNAL_IP4_ADDRESS"));
        }

        /** INTERNAL_IP4_DNS, in order. */
        public List<String> dns() {
            return words("INTERNAL_IP4_DNS");
        }

        /** INTERNAL_IP4_NBNS (WINS), in order. */
        public List<String> wins() {
            return words("INTERNAL_IP4_NBNS");
        }

        public String defaultDomain() {
            return variables.get("CISCO_DEF_DOMAIN");
        }

        public String banner() {
            return variables.get("CISCO_BANNER");
        }

        /** Split-include networks as {@code a.b.c.d/len}. */
        public List<String> splitIncludes() {
            int count = Integer.parseInt(variables.getOrDefault("CISCO_SPLIT_INC", "0"));
            List<String> result = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                result.add(variables.get("CISCO_SPLIT_INC_" + i + "_ADDR") + "/"
                        + variables.get("CISCO_SPLIT_INC_" + i + "_MASKLEN"));
            }
            return result;
        }

        public String tunDevice() {
            return variables.get("TUNDEV");
        }

        private List<String> words(String name) {
            String value = variables.getOrDefault(name, "").trim();
            return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
        }
    }

    private final NetNs ns;
    private final Path dir;
    private final Daemon daemon;

    private Vpnc(NetNs ns, Path dir, Daemon daemon) {
        this.ns = ns;
        this.dir = dir;
        this.daemon = daemon;
    }

    /** Writes the configuration and our connect script and starts {@code vpnc --no-detach} in {@code ns}. */
    public static Vpnc start(NetNs ns, Path dir, Config config) throws IOException {
        return start(ns, dir, config, null);
    }

    /**
     * As {@link #start(NetNs, Path, Config)}, but vpnc answers what the hub asks beyond the password (a RADIUS
     * challenge's XAUTH_PASSCODE) as a person would: vpnc prompts only when not {@code Noninteractive} (which
     * refuses a second secret), and with no terminal (setsid) glibc's getpass reads the {@code answers} from stdin.
     */
    public static Vpnc startAnswering(NetNs ns, Path dir, Config config, List<String> answers) throws IOException {
        return start(ns, dir, config, answers);
    }

    private static Vpnc start(NetNs ns, Path dir, Config config, List<String> answers) throws IOException {
        Prerequisites.require("vpnc", "ip");
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs);
        Path script = abs.resolve("vpnc.script");
        Files.writeString(script, SCRIPT.replace("@DIR@", abs.toString()));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String reason : new String[] {"pre-init", "connect", "disconnect", "reconnect"}) {
            Files.deleteIfExists(abs.resolve(reason + ".env"));
        }
        Path conf = abs.resolve("vpnc.conf");
        Files.writeString(conf, config.render(script, abs.resolve("vpnc.pid"), answers != null));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        List<String> vpnc = List.of(Prerequisites.resolve("vpnc"), "--no-detach", "--debug", "1", "--local-port", "0",
                conf.toString());
        List<String> command = vpnc;
        if (answers != null) {
            StringBuilder sh = new StringBuilder("printf '%s\\n'");
            answers.forEach(a -> sh.append(" '").append(a).append('\''));
            sh.append(" | setsid ").append(String.join(" ", vpnc));
            command = List.of("sh", "-c", sh.toString());
        }
        Daemon daemon = ns.start("vpnc", abs.resolve("vpnc.log"), command);
        return new Vpnc(ns, abs, daemon);
    }

    /**
     * Waits until vpnc has run its script with {@code reason=connect} (tunnel up, Mode Config applied), at most
     * {@code timeout}; fails with vpnc's log when it exits or times out first.
     */
    public Received awaitConnected(Duration timeout) throws IOException {
        Path env = dir.resolve("connect.env");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(dir.resolve("connect.done"))) {
            if (!daemon.isAlive()) {
                throw new AssertionError("vpnc exited before connecting\n--- " + daemon.logFile() + " ---\n"
                        + daemon.logTail(40));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("vpnc not connected within " + timeout.toMillis() + " ms\n--- "
                        + daemon.logFile() + " ---\n" + daemon.logTail(40));
            }
            Daemon.sleep(100);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(env)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                variables.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Received(variables);
    }

    public boolean isAlive() {
        return daemon.isAlive();
    }

    public String log() {
        return daemon.log();
    }

    public NetNs namespace() {
        return ns;
    }

    /** SIGTERM: vpnc sends Delete payloads and runs its script with {@code disconnect}; then bounded kill. */
    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(5));
    }

    /** Called by vpnc with $reason; writes $reason.env, configures the tun on connect, marks completion. */
    private static final String SCRIPT = """
            #!/bin/sh
            env | sort > "@DIR@/$reason.env"
            case "$reason" in
              connect)
                ip link set dev "$TUNDEV" up mtu 1412
                ip addr add "$INTERNAL_IP4_ADDRESS/32" dev "$TUNDEV"
                if [ "${CISCO_SPLIT_INC:-0}" -gt 0 ]; then
                  i=0
                  while [ "$i" -lt "$CISCO_SPLIT_INC" ]; do
                    eval addr=\\$CISCO_SPLIT_INC_${i}_ADDR
                    eval len=\\$CISCO_SPLIT_INC_${i}_MASKLEN
                    ip route replace "$addr/$len" dev "$TUNDEV" src "$INTERNAL_IP4_ADDRESS"
                    i=$((i + 1))
                  done
                else
                  via=$(ip route get "$VPNGATEWAY" | sed -n 's/.* via \\([^ ]*\\).*/\\1/p' | head -n 1)
                  [ -n "$via" ] && ip route replace "$VPNGATEWAY/32" via "$via"
                  ip route replace 0.0.0.0/1 dev "$TUNDEV" src "$INTERNAL_IP4_ADDRESS"
                  ip route replace 128.0.0.0/1 dev "$TUNDEV" src "$INTERNAL_IP4_ADDRESS"
                fi
                touch "@DIR@/connect.done" ;;
            esac
            exit 0
            """;
}
