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

/** {@code vpnrouter check FILE...}: every diagnostic as {@code file:line:col: severity: message}; exit 0 only without errors. */
@Command(name = "check", description = "Check IOS configurations: IOS-style diagnostics with file:line:col; "
        + "exits 0 only when no file has an error.")
final class CheckCommand implements Callable<Integer> {
    static final int ERRORS = 1;
    static final int UNREADABLE = 2;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "IOS configuration files")
    List<Path> files;

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
        out.flush();
        return status;
    }

    private static long count(List<Diagnostic> ds, Severity s) {
        return ds.stream().filter(d -> d.severity() == s).count();
    }
}
