package dev.vpnrouter.app;

import dev.vpnrouter.cli.CryptoShow;
import dev.vpnrouter.sim.SeedLab;
import dev.vpnrouter.sim.SimLanRouter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code vpnrouter lab --interactive}: {@code lab> ROUTER COMMAND} on the simulated routers after the run, with
 * IOS abbreviations ({@code hub sh cry isa sa}). The routers are frozen at the end of the run: the clock does not
 * move while you look.
 */
final class LabPrompt {
    private static final String[][] COMMANDS = {
            {"show", "crypto", "isakmp", "sa", "detail"},
            {"show", "crypto", "isakmp", "sa"},
            {"show", "crypto", "ipsec", "sa"},
            {"show", "ip", "interface"},
    };

    private final SeedLab lab;
    private final BufferedReader in;
    private final PrintStream out;

    LabPrompt(SeedLab lab, BufferedReader in, PrintStream out) {
        this.lab = lab;
        this.in = in;
        this.out = out;
    }

    void run() throws IOException {
        out.println("Routers: hub, " + (lab.spokes().size() == 1 ? "spoke" : "spoke1.." + lab.spokes().size())
                + ". Commands: show crypto isakmp sa [detail], show crypto ipsec sa, show ip interface; quit.");
        while (true) {
            out.print("lab> ");
            out.flush();
            String line = in.readLine();
            if (line == null || line.trim().equals("quit") || line.trim().equals("exit")) {
                return;
            }
            if (!line.isBlank()) {
                out.print(execute(line.trim()));
            }
        }
    }

    String execute(String line) {
        String[] words = line.toLowerCase(Locale.ROOT).split("\\s+");
        SimLanRouter router = router(words[0]);
        if (router == null) {
            return "% Unknown router \"" + words[0] + "\": hub, spoke, spoke1..\n";
        }
        String[] command = java.util.Arrays.copyOfRange(words, 1, words.length);
        for (String[] known : COMMANDS) {
            if (matches(command, known)) {
                return show(router, String.join(" ", known));
            }
        }
        int column = line.indexOf(' ') + 1;
        return " ".repeat(column + 5) + "^\n% Invalid input detected at '^' marker.\n";
    }

    private static boolean matches(String[] typed, String[] known) {
        if (typed.length != known.length) {
            return false;
        }
        for (int i = 0; i < typed.length; i++) {
            if (!known[i].startsWith(typed[i])) {
                return false;
            }
        }
        return true;
    }

    private SimLanRouter router(String name) {
        if (name.equals("hub")) {
            return lab.hub();
        }
        if (name.equals("spoke") && !lab.spokes().isEmpty()) {
            return lab.spokes().getFirst();
        }
        if (name.startsWith("spoke")) {
            try {
                int i = Integer.parseInt(name.substring(5));
                return i >= 1 && i <= lab.spokes().size() ? lab.spokes().get(i - 1) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private String show(SimLanRouter r, String command) {
        return switch (command) {
            case "show crypto isakmp sa detail" -> CryptoShow.isakmpSaDetail(r.engine().ikeSas(), lab.now());
            case "show crypto isakmp sa" -> CryptoShow.isakmpSa(r.engine().ikeSas());
            case "show crypto ipsec sa" -> CryptoShow.ipsecSa("FastEthernet0/0", mapName(r), r.address(),
                    r.children(), c -> r.dataPlane().sa(c.id()), lab.now());
            default -> CryptoShow.ipInterface("FastEthernet0/0", true, r.address(),
                    r == lab.hub() ? -32 : -256, r != lab.hub());
        };
    }

    private static String mapName(SimLanRouter r) {
        var map = r.engine().policy().cryptoMap();
        return map.isEmpty() ? "" : map.getFirst().mapName();
    }
}
