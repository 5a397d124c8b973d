package dev.vpnrouter.config;

import java.util.Comparator;

/**
 * One finding about a configuration, at a 1-based line and column (0 when the element was not parsed from text).
 * {@code sourceLine} is the text of that line, for the IOS-style caret block.
 */
public record Diagnostic(Severity severity, int line, int column, String message, String sourceLine) {

    /** By line, then column; errors before warnings before notes on the same spot. */
    public static final Comparator<Diagnostic> ORDER = Comparator.comparingInt(Diagnostic::line)
            .thenComparingInt(Diagnostic::column).thenComparing(Diagnostic::severity);

    public static Diagnostic error(int line, int column, String message) {
        return new Diagnostic(Severity.ERROR, line, column, message, "");
    }

    public static Diagnostic warning(int line, int column, String message) {
        return new Diagnostic(Severity.WARNING, line, column, message, "");
    }

    public static Diagnostic note(int line, int column, String message) {
        return new Diagnostic(Severity.NOTE, line, column, message, "");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public Diagnostic withSourceLine(String text) {
        return new Diagnostic(severity, line, column, message, text);
    }

    /** {@code file:line:col: severity: message}. */
    public String format(String file) {
        return file + ":" + line + ":" + column + ": " + severity.label() + ": " + message;
    }

    /**
     * The offending line with a caret under the column, as IOS echoes a rejected command; empty when the line
     * text is unknown.
     */
    public String caretBlock() {
        if (sourceLine.isEmpty() || column < 1) {
            return "";
        }
        return sourceLine + "\n" + " ".repeat(column - 1) + "^";
    }
}
