package dev.vpnrouter.syslog;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code logging facility F}: the syslog facility of the router's messages on the wire (RFC 3164 4.1.1), IOS's
 * keywords with RFC 3164's codes (IOS's sys9..sys14 are left out: their codes differ between systems). IOS's default is local7: PRI = 23 * 8 + severity.
 */
public enum SyslogFacility {
    KERN(0), USER(1), MAIL(2), DAEMON(3), AUTH(4), SYSLOG(5), LPR(6), NEWS(7), UUCP(8), CRON(9),
    LOCAL0(16), LOCAL1(17), LOCAL2(18), LOCAL3(19), LOCAL4(20), LOCAL5(21), LOCAL6(22), LOCAL7(23);

    public static final SyslogFacility DEFAULT = LOCAL7;

    private final int code;

    SyslogFacility(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** RFC 3164's PRI: facility * 8 + severity. */
    public int priority(Severity severity) {
        return code * 8 + severity.level();
    }

    public static Optional<SyslogFacility> parse(String word) {
        for (SyslogFacility f : values()) {
            if (f.keyword().equals(word.toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
