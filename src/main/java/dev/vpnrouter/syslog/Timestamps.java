package dev.vpnrouter.syslog;

import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.model.RouterConfig;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * The prefix IOS puts before a debug or log line, from {@code service timestamps debug|log
 * datetime [msec] [year] [show-timezone]} or {@code uptime}. Without the command IOS 12.3 stamps uptime; {@code no
 * service timestamps} turns stamps off. Times are UTC (the configuration language's {@code clock timezone} is not
 * modelled).
 */
public record Timestamps(Style style, boolean msec, boolean year, boolean showTimezone) {
    public enum Style { NONE, UPTIME, DATETIME }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** {@code kind} is "debug" or "log". */
    public static Timestamps of(RouterConfig config, String kind) {
        Timestamps result = new Timestamps(Style.UPTIME, false, false, false);
        for (PassiveLine p : config.passive()) {
            String[] w = p.text().trim().split("\\s+");
            if (w.length >= 2 && w[0].equals("no") && w[1].equals("service") && w.length >= 3
                    && w[2].equals("timestamps") && (w.length == 3 || w[3].equals(kind))) {
                result = new Timestamps(Style.NONE, false, false, false);
            } else if (w.length >= 3 && w[0].equals("service") && w[1].equals("timestamps")
                    && (w.length == 2 || w[2].equals(kind))) {
                boolean datetime = w.length > 3 && w[3].equals("datetime");
                boolean msec = false;
                boolean year = false;
                boolean tz = false;
                for (int i = 4; i < w.length; i++) {
                    msec |= w[i].equals("msec");
                    year |= w[i].equals("year");
                    tz |= w[i].equals("show-timezone");
                }
                result = new Timestamps(datetime ? Style.DATETIME : Style.UPTIME, msec, year, tz);
            }
        }
        return result;
    }

    /** "Nov 27 02:43:06.123: " (datetime msec), "1d02h: " (uptime), or "" (none). */
    public String prefix(long nowMillis, long uptimeMillis) {
        return switch (style) {
            case NONE -> "";
            case UPTIME -> uptime(Math.max(0, uptimeMillis)) + ": ";
            case DATETIME -> {
                // By hand, not DateTimeFormatter/String.format: a line per tunnel set-up is stamped on the IKE loop.
                ZonedDateTime t = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
                StringBuilder sb = new StringBuilder(40).append(MONTHS[t.getMonthValue() - 1]).append(' ');
                padded(sb, t.getDayOfMonth(), 2, ' ');
                if (year) {
                    sb.append(' ').append(t.getYear());
                }
                padded(sb.append(' '), t.getHour(), 2, '0');
                padded(sb.append(':'), t.getMinute(), 2, '0');
                padded(sb.append(':'), t.getSecond(), 2, '0');
                if (msec) {
                    padded(sb.append('.'), t.getNano() / 1_000_000, 3, '0');
                }
                if (showTimezone) {
                    sb.append(" UTC");
                }
                yield sb.append(": ").toString();
            }
        };
    }

    private static void padded(StringBuilder sb, int value, int width, char pad) {
        for (int limit = 10, i = 1; i < width; i++, limit *= 10) {
            if (value < limit) {
                sb.append(pad);
            }
        }
        sb.append(value);
    }

    /** IOS's uptime stamp: hh:mm:ss under a day, then 1d02h, then 1w2d. */
    static String uptime(long millis) {
        long s = millis / 1000;
        long days = s / 86_400;
        if (days >= 7) {
            return (days / 7) + "w" + (days % 7) + "d";
        }
        if (days >= 1) {
            return String.format(Locale.ROOT, "%dd%02dh", days, (s % 86_400) / 3600);
        }
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
