package dev.vpnrouter.app;

import dev.vpnrouter.config.Diagnostic;
import dev.vpnrouter.config.ParseResult;

import java.util.List;

/** What {@code check} reports for one file: the loader's diagnostics, then the policy compiler's warnings. */
final class ConfigReport {
    private ConfigReport() {
    }

    static List<Diagnostic> diagnostics(ParseResult result) {
        return result.diagnostics();
    }
}
