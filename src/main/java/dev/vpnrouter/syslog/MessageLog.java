package dev.vpnrouter.syslog;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.RouterConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the router's messages go, as its {@code logging} commands say: each message is stamped and formatted once
 * ({@code service timestamps log}), then goes to the terminals at or above {@code logging console}, to the buffer
 * {@code show logging} prints, to every {@code logging host} at or above {@code logging trap}, and always to the
 * local log (logback). {@code no logging on} leaves only the terminals. Sans-IO: the host gives the time and its
 * {@link Sinks}; not thread-safe, the host's loop calls it.
 */
public final class MessageLog {
    /** The host's side: terminals, the syslog sender and the local log. */
    public interface Sinks {
        /** A line for the console and the sessions with {@code terminal monitor}. */
        void terminal(String line);

        /** A syslog datagram for {@code host}; false when the sender had to drop it (counted as dropped). */
        boolean datagram(Logging.Host host, byte[] payload);

        /** Every message, whatever the levels say: the local log. */
        void local(RouterMessage message, String line);
    }

    private final Sinks sinks;
    private final long startedAtMillis;
    private LongSupplier rateLimited = () -> 0;
    private Logging config = Logging.DEFAULT;
    private Timestamps stamps;
    private String hostname = "Router";
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    private long bufferBytes;
    private long sequence;
    private long terminalLogged;
    private long bufferLogged;
    private long trapLogged;
    private long dropped;
    private final Map<Logging.Host, long[]> perHost = new HashMap<>(); // {sent, dropped}

    public MessageLog(RouterConfig config, long startedAtMillis, Sinks sinks) {
        this.sinks = sinks;
        this.startedAtMillis = startedAtMillis;
        configure(config);
    }

    /** Where the producers' suppressed messages are counted (their {@link RateLimiter}s), for {@code show logging}. */
    public void rateLimitedFrom(LongSupplier count) {
        this.rateLimited = count;
    }

    /** A new running configuration ({@code configure terminal}): levels, hosts and the buffer size from now on. */
    public void configure(RouterConfig c) {
        config = c.logging();
        stamps = Timestamps.of(c, "log");
        hostname = c.hostname().orElse("Router");
        trimBuffer();
    }

    public Logging config() {
        return config;
    }

    /** Logs one message at {@code nowMillis}. */
    public void log(RouterMessage m, long nowMillis) {
        String line = stamp(nowMillis) + m.format();
        sequence++;
        sinks.local(m, line);
        if (config.console().isPresent() && m.severity().within(config.console().get())) {
            terminalLogged++;
            sinks.terminal(line);
        }
        if (!config.on()) {
            return;
        }
        if (config.buffer().isPresent() && m.severity().within(config.buffer().get().level())) {
            bufferLogged++;
            buffer.addLast(line);
            bufferBytes += bytes(line);
            trimBuffer();
        }
        if (config.trap().isPresent() && m.severity().within(config.trap().get())) {
            trapLogged++;
            int priority = config.facility().priority(m.severity());
            byte[] payload = config.rfc5424() ? SyslogFormat.rfc5424(priority, sequence, nowMillis, hostname, m)
                    : SyslogFormat.rfc3164(priority, sequence, line);
            for (Logging.Host h : config.hosts()) {
                long[] counts = perHost.computeIfAbsent(h, k -> new long[2]);
                if (sinks.datagram(h, payload)) {
                    counts[0]++;
                } else {
                    counts[1]++;
                    dropped++;
                }
            }
        }
    }

    /**
     * IOS's stamp for log lines: {@code service timestamps log datetime} gives "*Dec  5 12:27:30.123: " (the star
     * is IOS's mark for a clock no NTP has set; vpnrouter cannot tell whether the host's clock is, so it always
     * writes it), uptime "01:02:03: ".
     */
    private String stamp(long nowMillis) {
        String prefix = stamps.prefix(nowMillis, nowMillis - startedAtMillis);
        return stamps.style() == Timestamps.Style.DATETIME ? "*" + prefix : prefix;
    }

    private static int bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length + 1;
    }

    private void trimBuffer() {
        long size = config.buffer().map(Logging.Buffer::size).orElse(0);
        while (bufferBytes > size && !buffer.isEmpty()) {
            bufferBytes -= bytes(buffer.removeFirst());
        }
    }

    /** The buffer's lines, oldest first. */
    public List<String> buffered() {
        return List.copyOf(buffer);
    }

    /** {@code show logging}, in IOS's layout. */
    public String show() {
        StringBuilder out = new StringBuilder();
        out.append("Syslog logging: ").append(config.on() ? "enabled" : "disabled").append(" (").append(dropped)
                .append(" messages dropped, ").append(rateLimited.getAsLong()).append(" messages rate-limited,\n")
                .append("                0 flushes, 0 overruns, xml disabled, filtering disabled)\n\n");
        String console = config.console().map(s -> "level " + s.keyword() + ", " + terminalLogged
                + " messages logged, xml disabled,\n                     filtering disabled").orElse("disabled");
        // One terminal level, logging console's, for the console and the terminal monitor sessions alike.
        out.append("    Console logging: ").append(console).append('\n');
        out.append("    Monitor logging: ").append(console).append('\n');
        out.append("    Buffer logging:  ").append(config.on() ? config.buffer().map(b -> "level " + b.level().keyword()
                + ", " + bufferLogged + " messages logged, xml disabled,\n                    filtering disabled")
                .orElse("disabled") : "disabled").append('\n');
        out.append("    Count and timestamp logging messages: disabled\n");
        out.append("    Persistent logging: disabled\n\n");
        out.append("No active filter modules.\n\n");
        out.append("    Trap logging: ").append(config.on() ? config.trap().map(s -> "level " + s.keyword() + ", "
                + trapLogged + " message lines logged").orElse("disabled") : "disabled").append('\n');
        for (Logging.Host h : config.hosts()) {
            long[] counts = perHost.getOrDefault(h, new long[2]);
            out.append("        Logging to ").append(Ipv4.format(h.address())).append("  (udp port ").append(h.port())
                    .append(", audit disabled,\n              link up),\n              ").append(counts[0])
                    .append(" message lines logged,\n              0 message lines rate-limited,\n              ")
                    .append(counts[1]).append(" message lines dropped,\n              xml disabled, sequence number "
                            + "disabled\n              filtering disabled\n");
        }
        config.sourceInterface().ifPresent(i -> out.append("        Logging Source-Interface:       VRF Name:\n        ")
                .append(i).append('\n'));
        int size = config.buffer().map(Logging.Buffer::size).orElse(Logging.DEFAULT_BUFFER_SIZE);
        out.append("\nLog Buffer (").append(size).append(" bytes):\n\n");
        for (String line : buffer) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
