package dev.vpnrouter.app;

import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.syslog.MessageLog;
import dev.vpnrouter.syslog.RouterMessage;
import dev.vpnrouter.cli.EngineRouter;
import dev.vpnrouter.cli.ExecHub;
import dev.vpnrouter.cli.ExecSession;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.sim.SeedLab;
import dev.vpnrouter.sim.SimLanRouter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vpnrouter lab --interactive}: {@code lab> ROUTER COMMAND} on the simulated routers after the run, each
 * router with its own privileged exec session (the IOS command set of {@link ExecSession}: abbreviations such as
 * {@code hub sh cry sess}, {@code ?} help, pipes, clear, debug). The clock stands still while you look;
 * {@code wait SECONDS} lets virtual time pass (after a clear, to watch the peers come back).
 */
final class LabPrompt {
    private static final String PROMPT = "lab> ";

    private final SeedLab lab;
    private final BufferedReader in;
    private final PrintStream out;
    private final Map<SimLanRouter, ExecSession> sessions = new HashMap<>();

    LabPrompt(SeedLab lab, BufferedReader in, PrintStream out) {
        this.lab = lab;
        this.in = in;
        this.out = out;
    }

    void run() throws IOException {
        out.println("Routers: hub, " + (lab.spokes().size() == 1 ? "spoke" : "spoke1.." + lab.spokes().size())
                + (lab.clients().isEmpty() ? "" : lab.clients().size() == 1 ? ", client" : ", client1.."
                + lab.clients().size())
                + ". Type ROUTER COMMAND (hub show crypto isakmp sa, spoke sh cry ipsec sa | i pkts, hub ?), "
                + "wait SECONDS to let virtual time pass, quit.");
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null || line.trim().equals("quit") || line.trim().equals("exit")) {
                return;
            }
            if (!line.isBlank()) {
                out.print(execute(line));
            }
        }
    }

    String execute(String line) {
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        String name = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        String command = space < 0 ? "" : trimmed.substring(space + 1).strip();
        if (name.equals("wait")) {
            return waitFor(command);
        }
        SimLanRouter router = router(name);
        if (router == null) {
            return "% Unknown router \"" + name + "\": hub, spoke, spoke1.., client, client1..\n";
        }
        ExecSession session = session(router);
        int offset = PROMPT.length() + line.indexOf(command.isEmpty() ? name : command);
        if (command.endsWith("?")) {
            return session.help(command.substring(0, command.length() - 1));
        }
        if (command.isEmpty()) {
            return "";
        }
        return session.execute(command, lab.now(), offset);
    }

    private String waitFor(String seconds) {
        try {
            long s = Long.parseLong(seconds);
            if (s < 0 || s > 86_400) {
                throw new NumberFormatException();
            }
            lab.runFor(s * 1000);
            return "";
        } catch (NumberFormatException e) {
            return "% wait SECONDS (0 to 86400)\n";
        }
    }

    /** One console session per router, privileged (the lab has no passwords to ask). */
    private ExecSession session(SimLanRouter router) {
        return sessions.computeIfAbsent(router, r -> {
            EngineRouter view = new EngineRouter(lab.configOf(r), r.engine(), r.dataPlane(), r::run, 0);
            ExecHub hub = new ExecHub(view, view);
            MessageLog log = new MessageLog(lab.configOf(r), 0, new MessageLog.Sinks() {
                @Override
                public void terminal(String line) {
                    hub.logLine(line);
                }

                @Override
                public boolean datagram(Logging.Host host, byte[] payload) {
                    return false; // the simulated internet has no syslog servers: counted as dropped
                }

                @Override
                public void local(RouterMessage message, String line) {
                }
            });
            view.messageLog(log, log::configure);
            r.onMessage(m -> log.log(m, lab.now()));
            ExecSession s = hub.openConsole("lab", lab.now());
            s.execute("enable", lab.now());
            // Debug lines of this router go to the prompt, prefixed with its name.
            s.onMonitor(text -> out.println(r.name() + ": " + text));
            r.onEffect(e -> {
                if (e instanceof IkeEffect.Debug d) {
                    hub.debugLine(d.category(), d.line(), lab.now());
                }
            });
            return s;
        });
    }

    private SimLanRouter router(String name) {
        if (name.equals("hub")) {
            return lab.hub();
        }
        if (name.equals("spoke") && !lab.spokes().isEmpty()) {
            return lab.spokes().getFirst();
        }
        if (name.equals("client") && !lab.clients().isEmpty()) {
            return lab.clients().getFirst();
        }
        if (name.startsWith("spoke")) {
            return nth(lab.spokes(), name.substring(5));
        }
        if (name.startsWith("client")) {
            return nth(lab.clients(), name.substring(6));
        }
        return null;
    }

    /** Router N (counted from 1) of a list, or null. */
    private static SimLanRouter nth(java.util.List<? extends SimLanRouter> routers, String number) {
        try {
            int i = Integer.parseInt(number);
            return i >= 1 && i <= routers.size() ? routers.get(i - 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
