package dev.vpnrouter.app;

import dev.vpnrouter.client.PcfProfile;
import dev.vpnrouter.client.VpnClientSession;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.ClientConfig;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.net.LinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code vpnrouter client}: the Cisco VPN Client's role. Group name and key, user name and password (flags or a
 * {@code .pcf} profile; secrets from the profile, a file, the environment or a prompt, never from the command
 * line), then Aggressive Mode, Xauth, Mode Config and Quick Mode; prints what the hub sent and carries traffic
 * through its own TUN until SIGTERM/Ctrl-C, which sends Delete payloads and undoes every change.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect to a hub as a Cisco-style VPN client (needs root: UDP 500/4500 and a TUN device).")
final class ClientCommand implements Callable<Integer> {
    static final String GROUP_KEY_ENV = "VPNROUTER_GROUP_KEY";
    static final String PASSWORD_ENV = "VPNROUTER_PASSWORD";

    @Option(names = "--pcf", paramLabel = "FILE", description = "Cisco VPN Client profile (Host, GroupName, "
            + "GroupPwd or enc_GroupPwd, Username); flags override it")
    Path pcf;

    @Option(names = "--host", paramLabel = "HUB", description = "the hub's address or name")
    String host;

    @Option(names = "--group", paramLabel = "NAME", description = "group name (IKE ID_KEY_ID)")
    String group;

    @Option(names = "--user", paramLabel = "NAME", description = "Xauth user name")
    String user;

    @Option(names = "--group-key-file", paramLabel = "FILE", description = "read the group key from FILE (else "
            + "the profile, $" + GROUP_KEY_ENV + ", or a prompt)")
    Path groupKeyFile;

    @Option(names = "--password-file", paramLabel = "FILE", description = "read the Xauth password from FILE (else "
            + "the profile, $" + PASSWORD_ENV + ", or a prompt)")
    Path passwordFile;

    @Option(names = "--passcode-file", paramLabel = "FILE", description = "token passcodes for the hub's "
            + "challenges (RADIUS Access-Challenge: \"enter the next passcode\"), one a line, each used once in order")
    Path passcodeFile;

    @Option(names = "--local", paramLabel = "ADDR", description = "local address to use (default: the source "
            + "address of the route to the hub)")
    String local;

    @Option(names = "--tun", paramLabel = "NAME", description = "TUN device (default: vpnr0)")
    String tunName = "vpnr0";

    @Option(names = "--dns-file", paramLabel = "FILE", description = "write the received DNS servers and domain "
            + "here in resolv.conf form (restored on disconnect); without it name resolution is left alone")
    Path dnsFile;

    @Option(names = "--timeout", paramLabel = "S", description = "seconds to wait for the tunnel (default: 30)")
    int timeoutSeconds = 30;

    @Option(names = "--debug", description = "print debug crypto isakmp/ipsec lines")
    boolean debug;

    /** Where secrets come from when no file names them; tests replace it. */
    Map<String, String> environment = System.getenv();
    Console console = System.console();

    @Override
    public Integer call() throws Exception {
        VpnClientProfile profile;
        try {
            profile = profile();
        } catch (UsageException e) {
            System.err.println("vpnrouter client: " + e.getMessage());
            return 2;
        }
        int localAddress;
        try {
            localAddress = local != null ? Ipv4.parse(local) : sourceAddressTowards(profile.hub());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("vpnrouter client: no local address towards " + Ipv4.format(profile.hub()) + ": "
                    + e.getMessage());
            return 1;
        }
        System.out.println("vpnrouter client: connecting to " + Ipv4.format(profile.hub()) + " from "
                + Ipv4.format(localAddress) + " as " + (profile.username() == null ? "(no user)" : profile.username())
                + " in group " + profile.group());
        VpnClientSession session;
        try {
            session = VpnClientSession.start(new VpnClientSession.Options(profile, localAddress, tunName, dnsFile,
                    debug ? System.out::println : null));
        } catch (IOException e) {
            System.err.println("vpnrouter client: " + e.getMessage());
            return 1;
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        ClientConfig config = session.awaitConfigured(timeout);
        ChildSa child = config == null ? null : session.awaitTunnel(timeout);
        if (child == null) {
            String why = session.failure();
            System.err.println("vpnrouter client: not connected: " + (why != null ? why
                    : "no answer from the hub in " + timeoutSeconds + " s"));
            session.close();
            return 1;
        }
        System.out.println("vpnrouter client: connected through " + session.tunName());
        System.out.print(VpnClientSession.describe(config, child, session.routes()));
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                session.close();
            } catch (IOException e) {
                System.err.println("vpnrouter client: " + e.getMessage());
            }
            stop.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        int gateway = session.gateway();
        while (!stop.await(2, TimeUnit.SECONDS)) {
            if (session.gateway() != gateway && session.connected()) {
                gateway = session.gateway();
                System.out.println("vpnrouter client: connected through the backup gateway " + Ipv4.format(gateway)
                        + ", address " + Ipv4.format(session.awaitConfigured(Duration.ZERO).address()));
                System.out.flush();
            }
            // Between a dead gateway and the next one's Mode Config the client is logging in, not disconnected.
            if (!session.connected() && !session.loggingIn()) {
                System.err.println("vpnrouter client: disconnected: " + Optional.ofNullable(session.failure())
                        .orElse("the hub deleted the SA"));
                Runtime.getRuntime().removeShutdownHook(hook);
                session.close();
                return 1;
            }
        }
        return 0;
    }

    /** The connection profile from the flags and the .pcf, with the secrets from where they may come. */
    VpnClientProfile profile() throws IOException, UsageException {
        PcfProfile pcfProfile = null;
        if (pcf != null) {
            try {
                pcfProfile = PcfProfile.parse(Files.readString(pcf, StandardCharsets.ISO_8859_1));
            } catch (PcfProfile.PcfException e) {
                throw new UsageException(pcf + ": " + e.getMessage());
            }
        }
        String hubName = host != null ? host : pcfProfile == null ? null : pcfProfile.host();
        String groupName = group != null ? group : pcfProfile == null ? null : pcfProfile.groupName();
        String userName = user != null ? user : pcfProfile == null ? null : pcfProfile.username().orElse(null);
        if (hubName == null || groupName == null) {
            throw new UsageException("name the hub and the group: --host and --group, or --pcf FILE");
        }
        int hub = resolve(hubName, "the hub");
        List<Integer> backups = new ArrayList<>();
        for (String server : pcfProfile == null ? List.<String>of() : pcfProfile.backupServers()) {
            try {
                backups.add(resolve(server, "the backup server"));
            } catch (UsageException e) {
                // As the Cisco client: a stale backup name does not keep the user off a working hub.
                System.err.println("vpnrouter client: " + e.getMessage() + ": skipped");
            }
        }
        if (userName == null && console != null) {
            userName = console.readLine("Username: ");
        }
        String groupKey = secret(groupKeyFile, pcfProfile == null ? Optional.empty() : pcfProfile.groupPassword(),
                GROUP_KEY_ENV, "Group password for " + groupName + ": ", "group key");
        String password = userName == null ? null : secret(passwordFile, pcfProfile == null ? Optional.empty()
                : pcfProfile.userPassword(), PASSWORD_ENV, "Password for " + userName + ": ", "password");
        List<String> passcodes = passcodeFile == null ? List.of() : Files.readAllLines(passcodeFile,
                StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return VpnClientProfile.of(hub, groupName, groupKey.getBytes(StandardCharsets.UTF_8), userName, password)
                .withPasscodes(passcodes).withBackupServers(backups);
    }

    private static int resolve(String name, String what) throws UsageException {
        try {
            return Ipv4.parse(name);
        } catch (IllegalArgumentException e) {
            try {
                return Ipv4.parse(InetAddress.getByName(name).getHostAddress());
            } catch (IOException | IllegalArgumentException e2) {
                throw new UsageException("cannot resolve " + what + " " + name);
            }
        }
    }

    private String secret(Path file, Optional<String> fromProfile, String env, String prompt, String what)
            throws IOException, UsageException {
        if (file != null) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl >= 0 ? text.substring(0, nl) : text).stripTrailing();
        }
        if (fromProfile.isPresent()) {
            return fromProfile.get();
        }
        String value = environment.get(env);
        if (value != null) {
            return value;
        }
        if (console != null) {
            char[] typed = console.readPassword(prompt);
            if (typed != null) {
                return new String(typed);
            }
        }
        throw new UsageException("no " + what + ": give a file (--" + (env.equals(GROUP_KEY_ENV) ? "group-key-file"
                : "password-file") + "), set $" + env + ", or run on a terminal to be asked");
    }

    /** The address the kernel would send from towards {@code hub} ({@code ip route get}). */
    static int sourceAddressTowards(int hub) throws IOException {
        String[] words = LinkConfig.current().ip("-4", "route", "get", Ipv4.format(hub)).strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("src")) {
                return Ipv4.parse(words[i + 1]);
            }
        }
        throw new IOException("no route to it");
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
