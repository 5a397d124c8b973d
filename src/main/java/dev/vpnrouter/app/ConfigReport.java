package dev.vpnrouter.app;

import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.policy.PolicyCompiler;

import java.util.ArrayList;
import java.util.List;

/** What {@code check} reports for one file: the loader's diagnostics and the policy compiler's warnings, by line. */
final class ConfigReport {
    private ConfigReport() {
    }

    static List<Diagnostic> diagnostics(ParseResult result) {
        List<Diagnostic> all = new ArrayList<>(result.diagnostics());
        all.addAll(PolicyCompiler.compile(result).warnings());
        all.sort(Diagnostic.ORDER);
        return all;
    }
}
