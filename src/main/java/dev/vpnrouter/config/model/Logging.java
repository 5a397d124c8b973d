package dev.vpnrouter.config.model;

import dev.vpnrouter.syslog.Severity;
import dev.vpnrouter.syslog.SyslogFacility;

import java.util.List;
import java.util.Optional;

/**
 * The router's {@code logging} commands: where its messages go and from which severity on. Defaults are IOS's:
 * logging on, the console and a 4096-byte buffer at debugging, syslog hosts at informational with facility local7,
 * RFC 3164 on the wire.
 *
 * @param on              {@code no logging on}: only the console gets messages (buffer and hosts none)
 * @param console         {@code logging console LEVEL}; empty: {@code no logging console}
 * @param buffer          {@code logging buffered [SIZE] [LEVEL]}; empty: {@code no logging buffered}
 * @param trap            {@code logging trap LEVEL}, what goes to the hosts; empty: {@code no logging trap}
 * @param rfc5424         {@code logging trap syslog-format rfc5424} (IOS XE's keyword): RFC 5424 instead of 3164
 * @param sourceInterface {@code logging source-interface IF}: datagrams leave from that interface's address
 * @param hosts           {@code logging host A [transport udp port P]}, in order of configuration
 */
public record Logging(boolean on, Optional<Severity> console, Optional<Buffer> buffer, Optional<Severity> trap,
        boolean rfc5424, SyslogFacility facility, Optional<String> sourceInterface, List<Host> hosts) {
    public static final int DEFAULT_BUFFER_SIZE = 4096;
    public static final int DEFAULT_PORT = 514;

    public static final Logging DEFAULT = new Logging(true, Optional.of(Severity.DEBUGGING),
            Optional.of(new Buffer(DEFAULT_BUFFER_SIZE, Severity.DEBUGGING)), Optional.of(Severity.INFORMATIONAL),
            false, SyslogFacility.DEFAULT, Optional.empty(), List.of());

    public Logging {
        hosts = List.copyOf(hosts);
    }

    /** The buffer {@code show logging} prints: {@code size} bytes of the newest lines. */
    public record Buffer(int size, Severity level) {
        /** IOS's bounds for {@code logging buffered SIZE}. */
        public static final int MIN_SIZE = 4096;
        public static final int MAX_SIZE = 2_147_483_647;
    }

    /** A syslog server: UDP to {@code address}:{@code port}. */
    public record Host(int address, int port) {
    }
}
