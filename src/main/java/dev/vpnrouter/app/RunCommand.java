package dev.vpnrouter.app;

import dev.vpnrouter.router.RouterDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vpnrouter run --config FILE --interface FastEthernet0/0=eth0}: runs the router (root). The outside
 * address is the one the mapped Linux interface holds (for {@code ip address dhcp}, what the system's DHCP client
 * obtained); SIGTERM sends Deletes to the peers and exits.
 */
@Command(name = "run", description = "Run the router with an IOS configuration (needs root).")
final class RunCommand implements Callable<Integer> {
    static final int USAGE = 2;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "IOS configuration to run.")
    Path config;

    @Option(names = "--interface", paramLabel = "IOS=LINUX",
            description = "Map an IOS interface to a Linux one, e.g. FastEthernet0/0=eth0 (repeatable).")
    List<String> interfaces = new ArrayList<>();

    @Option(names = "--key-log", paramLabel = "FILE",
            description = "Append phase-1 keys in Wireshark's ikev1_decryption_table format (for debugging only).")
    Path keyLog;

    @Option(names = "--debug", description = "Print debug crypto isakmp/ipsec lines.")
    boolean debug;

    private final PrintStream out;

    RunCommand() {
        this(System.out);
    }

    RunCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        InterfaceMap map;
        try {
            map = InterfaceMap.parse(interfaces);
        } catch (IllegalArgumentException e) {
            out.println("vpnrouter run: " + e.getMessage());
            return USAGE;
        }
        if (!Files.isReadable(config)) {
            out.println("vpnrouter run: cannot read configuration " + config);
            return USAGE;
        }
        RouterConfigLoader.Loaded loaded;
        try {
            loaded = RouterConfigLoader.load(config);
        } catch (RouterConfigLoader.Unavailable e) {
            out.println("vpnrouter run: cannot run " + config + ": " + e.getMessage());
            return Main.NOT_BUILT;
        }
        String linux = map.linuxFor(loaded.outsideIosInterface());
        if (linux == null) {
            out.println("vpnrouter run: the crypto map is on " + loaded.outsideIosInterface()
                    + "; map it to a Linux interface with --interface " + loaded.outsideIosInterface() + "=IFNAME");
            return USAGE;
        }
        RouterDaemon.Options options = RouterDaemon.Options.defaults().withEngineDebug(debug).withKeyLog(keyLog);
        return RouterDaemon.run(loaded.policy(), linux, options, out);
    }
}
