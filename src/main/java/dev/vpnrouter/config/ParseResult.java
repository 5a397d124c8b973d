package dev.vpnrouter.config;

import dev.vpnrouter.config.model.RouterConfig;

import java.util.List;

/**
 * A parsed configuration, every diagnostic about it (sorted by position), where its elements came from, and the
 * mode the text ended in with its prompt name (what {@code configure terminal} shows after a line).
 */
public record ParseResult(RouterConfig config, List<Diagnostic> diagnostics, SourceMap source, Mode endMode,
                          String endPrompt) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return of(Severity.ERROR);
    }

    public List<Diagnostic> warnings() {
        return of(Severity.WARNING);
    }

    public List<Diagnostic> notes() {
        return of(Severity.NOTE);
    }

    private List<Diagnostic> of(Severity s) {
        return diagnostics.stream().filter(d -> d.severity() == s).toList();
    }
}
