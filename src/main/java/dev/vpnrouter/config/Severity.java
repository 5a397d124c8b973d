package dev.vpnrouter.config;

import java.util.Locale;

/** How bad a diagnostic is. Only errors make {@code check} fail. */
public enum Severity {
    ERROR,
    WARNING,
    NOTE;

    /** {@code error}, {@code warning} or {@code note}, as printed after {@code file:line:col:}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
