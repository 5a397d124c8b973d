package dev.vpnrouter.app;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ConfigWriter;
import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vpnrouter show-config FILE}: the configuration as {@code show running-config} prints it. */
@Command(name = "show-config", description = "Parse an IOS configuration and print it as 'show running-config' "
        + "would; errors go to stderr and make the exit status 1.")
final class ShowConfigCommand implements Callable<Integer> {
    @Parameters(arity = "1", paramLabel = "FILE", description = "IOS configuration file")
    Path file;

    @picocli.CommandLine.Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write the configuration to OUT (created 0600: it holds keys and passwords) instead of "
                    + "printing it")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParseResult result;
        try {
            result = ConfigLoader.load(file);
        } catch (IOException e) {
            err.println("vpnrouter: cannot read " + file + ": " + e.getMessage());
            return CheckCommand.UNREADABLE;
        }
        String text = ConfigWriter.write(result.config());
        if (output != null) {
            try {
                dev.vpnrouter.config.PrivateFiles.write(output, text);
            } catch (IOException e) {
                err.println("vpnrouter: cannot write " + output + ": " + e.getMessage());
                return CheckCommand.UNREADABLE;
            }
        } else {
            out.print(text);
        }
        out.flush();
        for (Diagnostic d : result.errors()) {
            err.println(d.format(file.toString()));
            err.println(d.caretBlock());
        }
        err.flush();
        return result.hasErrors() ? CheckCommand.ERRORS : 0;
    }
}
