package dev.vpnrouter.app;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vpnrouter check FILE...}: every diagnostic as {@code file:line:col: severity: message}; exit 0 only without
 * errors. With exactly two files (hub, then spoke) it also predicts whether their tunnels come up by running the
 * real engines against each other in the simulation.
 */
@Command(name = "check", description = {"Check IOS configurations: IOS-style diagnostics with file:line:col; "
        + "exits 0 only when no file has an error.",
        "With two files, HUB SPOKE: also predicts whether the spoke's tunnels to the hub come up, and why not.",
        "With --client GROUP:USER: also predicts whether a VPN client gets in to the first file's hub."})
final class CheckCommand implements Callable<Integer> {
    static final int ERRORS = 1;
    static final int UNREADABLE = 2;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "IOS configuration files")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--spoke-address", paramLabel = "A.B.C.D",
            description = "Outside address of a DHCP spoke in the prediction (default: ${DEFAULT-VALUE})")
    String spokeAddress = "198.51.100.10";

    @picocli.CommandLine.Option(names = "--client", paramLabel = "GROUP:USER[:PASSWORD]",
            description = "also predict whether a VPN client of GROUP logging in as USER gets in (password from the "
                    + "hub config's username when it is type 0 or 7)")
    String client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        for (Path file : files) {
            List<Diagnostic> diagnostics;
            try {
                ParseResult result = ConfigLoader.load(file);
                diagnostics = ConfigReport.diagnostics(result);
            } catch (IOException e) {
                err.println("vpnrouter: cannot read " + file + ": " + e.getMessage());
                status = Math.max(status, UNREADABLE);
                continue;
            }
            for (Diagnostic d : diagnostics) {
                out.println(d.format(file.toString()));
                if (d.isError() && !d.caretBlock().isEmpty()) {
                    out.println(d.caretBlock());
                }
            }
            long errors = count(diagnostics, Severity.ERROR);
            out.println(file + ": " + errors + " error(s), " + count(diagnostics, Severity.WARNING)
                    + " warning(s), " + count(diagnostics, Severity.NOTE) + " note(s)");
            if (errors > 0) {
                status = Math.max(status, ERRORS);
            }
        }
        if (files.size() == 2 && status == 0) {
            status = predict(out, err);
        }
        if (client != null && status != UNREADABLE) {
            status = Math.max(status, predictClient(out, err));
        }
        out.flush();
        return status;
    }

    private int predict(PrintWriter out, PrintWriter err) {
        Integer dhcp = dev.vpnrouter.common.Ipv4.tryParse(spokeAddress);
        if (dhcp == null) {
            err.println("vpnrouter: --spoke-address " + spokeAddress + " is not an IPv4 address");
            return UNREADABLE;
        }
        Path hub = files.get(0);
        Path spoke = files.get(1);
        dev.vpnrouter.config.model.RouterConfig hubConfig;
        dev.vpnrouter.config.model.RouterConfig spokeConfig;
        try {
            hubConfig = ConfigLoader.load(hub).config();
            spokeConfig = ConfigLoader.load(spoke).config();
        } catch (IOException e) {
            err.println("vpnrouter: " + e.getMessage());
            return UNREADABLE;
        }
        String swapped = "";
        // The order the README gives is HUB SPOKE; when only the first can start a tunnel, the roles are clear.
        if (!dev.vpnrouter.sim.TunnelPredictor.initiates(spokeConfig)
                && dev.vpnrouter.sim.TunnelPredictor.initiates(hubConfig)) {
            hub = files.get(1);
            spoke = files.get(0);
            var first = hubConfig;
            hubConfig = spokeConfig;
            spokeConfig = first;
            swapped = "; only " + spoke + " has a static crypto map entry with a peer, so it initiates";
        }
        var hubFinal = hubConfig;
        var spokeFinal = spokeConfig;
        return report(out, err, spoke + " initiating to " + hub + swapped, "tunnels come up",
                "tunnels do NOT come up", () -> dev.vpnrouter.sim.TunnelPredictor.predict(hubFinal, spokeFinal, dhcp));
    }

    private int predictClient(PrintWriter out, PrintWriter err) {
        String[] parts = client.split(":", 3);
        if (parts[0].isEmpty()) {
            err.println("vpnrouter: --client " + client + ": expected GROUP:USER[:PASSWORD]");
            return UNREADABLE;
        }
        String user = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
        String password = parts.length > 2 ? parts[2] : null;
        return report(out, err, "a VPN client of group " + parts[0] + " connecting to " + files.get(0),
                "client gets in", "client does NOT get in", () -> dev.vpnrouter.sim.TunnelPredictor.predictClient(
                        ConfigLoader.load(files.get(0)).config(), parts[0], user, password, null));
    }

    private interface Prediction {
        dev.vpnrouter.sim.TunnelPredictor.Verdict run() throws IOException;
    }

    /** Runs a prediction and prints its verdict: the tunnels, the routers' reasons, one closing line. */
    private static int report(PrintWriter out, PrintWriter err, String title, String up, String down,
            Prediction prediction) {
        try {
            var verdict = prediction.run();
            out.println();
            out.println("Prediction (" + title + "):");
            verdict.tunnels().forEach(t -> out.println("  " + t));
            verdict.reasons().forEach(r -> out.println("  why: " + r));
            verdict.warnings().forEach(w -> out.println("  warning: " + w));
            out.println("  " + (verdict.up() ? up : down));
            return verdict.up() ? 0 : ERRORS;
        } catch (IOException e) {
            err.println("vpnrouter: " + e.getMessage());
            return UNREADABLE;
        }
    }

    private static long count(List<Diagnostic> ds, Severity s) {
        return ds.stream().filter(d -> d.severity() == s).count();
    }
}
