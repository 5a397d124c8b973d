package dev.vpnrouter.syslog;

import java.util.Locale;
import java.util.Optional;

/** A message's severity, IOS's levels 0-7 by number and name (also syslog's, RFC 5424 table 2). */
public enum Severity {
    EMERGENCIES, ALERTS, CRITICAL, ERRORS, WARNINGS, NOTIFICATIONS, INFORMATIONAL, DEBUGGING;

    private static final Severity[] ALL = values();

    /** 0 (emergencies) to 7 (debugging): lower is more severe. */
    public int level() {
        return ordinal();
    }

    /** The IOS keyword, e.g. "informational". */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a destination set to {@code threshold} takes a message of this severity (IOS: that level and below). */
    public boolean within(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    public static Severity of(int level) {
        return ALL[level];
    }

    /**
     * A level as IOS accepts it: a number 0-7 or a keyword, abbreviated as long as it stays unique ("info",
     * "warn"); empty when it is neither.
     */
    public static Optional<Severity> parse(String word) {
        if (word.matches("[0-7]")) {
            return Optional.of(ALL[word.charAt(0) - '0']);
        }
        String w = word.toLowerCase(Locale.ROOT);
        Severity found = null;
        for (Severity s : ALL) {
            if (s.keyword().startsWith(w)) {
                if (found != null) {
                    return Optional.empty(); // "e": emergencies or errors
                }
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }
}
