package dev.vpnrouter.config;

import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.syntax.Args;
import dev.vpnrouter.syslog.Severity;
import dev.vpnrouter.syslog.SyslogFacility;

import java.util.Optional;

import static dev.vpnrouter.config.Mode.GLOBAL;

/**
 * The {@code logging} commands vpnrouter acts on: hosts, trap, facility, source interface, buffer, console and
 * {@code logging on}. Any other {@code logging ...} line stays a passive line ({@link GlobalCommands}).
 */
final class LoggingCommands {
    private static final String LEVELS = "a level is 0-7 or emergencies, alerts, critical, errors, warnings, "
            + "notifications, informational, debugging";

    private LoggingCommands() {
    }

    static void define(IosGrammar g) {
        g.on(GLOBAL, "logging on", (c, a) -> c.loggingOn = true);
        g.on(GLOBAL, "no logging on", (c, a) -> c.loggingOn = false);

        g.on(GLOBAL, "logging host IP:address [transport udp [port INT(1-65535):port]]", LoggingCommands::host);
        g.on(GLOBAL, "logging IP:address", LoggingCommands::host);
        g.on(GLOBAL, "no logging host IP:address [LINE:rest]", (c, a) -> c.loggingHosts.remove(a.ip("address")));
        g.on(GLOBAL, "no logging IP:address", (c, a) -> c.loggingHosts.remove(a.ip("address")));

        g.on(GLOBAL, "logging trap [WORD:level]", (c, a) ->
                level(c, a, Severity.INFORMATIONAL).ifPresent(l -> c.loggingTrap = Optional.of(l)));
        g.on(GLOBAL, "no logging trap [WORD:level]", (c, a) -> c.loggingTrap = Optional.empty());
        g.on(GLOBAL, "logging trap syslog-format {rfc5424|rfc3164}:format",
                (c, a) -> c.loggingRfc5424 = a.text("format").equals("rfc5424"));
        g.on(GLOBAL, "no logging trap syslog-format [LINE:rest]", (c, a) -> c.loggingRfc5424 = false);

        g.on(GLOBAL, "logging facility WORD:facility", (c, a) -> {
            Optional<SyslogFacility> f = SyslogFacility.parse(a.text("facility"));
            if (f.isEmpty()) {
                c.error(a.column("facility"), "% Invalid input detected at '^' marker: a facility is auth, cron, "
                        + "daemon, kern, local0-local7, lpr, mail, news, syslog, user or uucp");
                return;
            }
            c.loggingFacility = f.get();
        });
        g.on(GLOBAL, "no logging facility [LINE:rest]", (c, a) -> c.loggingFacility = SyslogFacility.DEFAULT);

        g.on(GLOBAL, "logging source-interface IFNAME:name",
                (c, a) -> c.loggingSourceInterface = Optional.of(a.text("name")));
        g.on(GLOBAL, "no logging source-interface [LINE:rest]", (c, a) -> c.loggingSourceInterface = Optional.empty());

        g.on(GLOBAL, "logging buffered [WORD:first [WORD:second]]", LoggingCommands::buffered);
        g.on(GLOBAL, "no logging buffered [LINE:rest]", (c, a) -> c.loggingBuffer = Optional.empty());

        g.on(GLOBAL, "logging console [WORD:level]", (c, a) ->
                level(c, a, Severity.DEBUGGING).ifPresent(l -> c.loggingConsole = Optional.of(l)));
        g.on(GLOBAL, "no logging console [WORD:level]", (c, a) -> c.loggingConsole = Optional.empty());
    }

    private static void host(ParseContext c, Args a) {
        int address = a.ip("address");
        c.loggingHosts.put(address, new Logging.Host(address, a.intOr("port", Logging.DEFAULT_PORT)));
    }

    /** The command's {@code level} argument, {@code absent} when it has none; empty after an error. */
    private static Optional<Severity> level(ParseContext c, Args a, Severity absent) {
        if (!a.has("level")) {
            return Optional.of(absent);
        }
        Optional<Severity> s = Severity.parse(a.text("level"));
        if (s.isEmpty()) {
            c.error(a.column("level"), "% Invalid input detected at '^' marker: " + LEVELS);
        }
        return s;
    }

    /** {@code logging buffered [SIZE] [LEVEL]}: a number 0-7 is a level, as on IOS; a larger one the size. */
    private static void buffered(ParseContext c, Args a) {
        Logging.Buffer was = c.loggingBuffer.orElse(Logging.DEFAULT.buffer().orElseThrow());
        int size = was.size();
        Severity level = was.level();
        boolean sizeSeen = false;
        for (String arg : new String[] {"first", "second"}) {
            if (!a.has(arg)) {
                continue;
            }
            String word = a.text(arg);
            if (!sizeSeen && word.matches("\\d{2,10}")) {
                long n = Long.parseLong(word);
                if (n < Logging.Buffer.MIN_SIZE || n > Logging.Buffer.MAX_SIZE) {
                    c.error(a.column(arg), "% Invalid input detected at '^' marker: the buffer size is "
                            + Logging.Buffer.MIN_SIZE + "-" + Logging.Buffer.MAX_SIZE + " bytes");
                    return;
                }
                size = (int) n;
                sizeSeen = true;
                continue;
            }
            Optional<Severity> s = Severity.parse(word);
            if (s.isEmpty() || arg.equals("first") && a.has("second")) {
                c.error(a.column(arg), "% Invalid input detected at '^' marker: " + (s.isEmpty() ? LEVELS
                        : "the size comes before the level"));
                return;
            }
            level = s.get();
        }
        c.loggingBuffer = Optional.of(new Logging.Buffer(size, level));
    }
}
