package dev.vpnrouter.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** The {@code vpnrouter} command: subcommands for running, simulating and checking configurations. */
@Command(name = "vpnrouter", mixinStandardHelpOptions = true, version = "vpnrouter 0.1.0",
        description = "IPsec VPN router that runs Cisco IOS configurations and speaks IKEv1 and ESP.",
        subcommands = {
                RunCommand.class, ConsoleCommand.class, LabCommand.class, CheckCommand.class, ClientCommand.class,
                ShowConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }
}
