package dev.vpnrouter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real rsyslogd in a namespace with a private configuration: imudp on one address and port, every message
 * written to one file as {@code PRI|FROM-IP|RAW DATAGRAM}, nothing else (no /dev/log, no kernel log, no system
 * files; pid and state in the test's directory; no DNS, whose reverse lookups of the sender would stall it in a
 * namespace without a resolver). The system's rsyslog service plays no part.
 */
final class Rsyslog implements AutoCloseable {
    private final Daemon daemon;
    private final Path received;

    private Rsyslog(Daemon daemon, Path received) {
        this.daemon = daemon;
        this.received = received;
    }

    static Rsyslog start(NetNs ns, Path dir, String address, int port) throws IOException {
        Prerequisites.require("rsyslogd");
        Files.createDirectories(dir);
        Path received = dir.resolve("received.log");
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%1$s" net.enableDNS="off")
                module(load="imudp")
                input(type="imudp" address="%2$s" port="%3$d")
                template(name="raw" type="string" string="%%pri%%|%%fromhost-ip%%|%%rawmsg%%\\n")
                *.* action(type="omfile" file="%4$s" template="raw")
                """.formatted(dir.toAbsolutePath(), address, port, received.toAbsolutePath()));
        Daemon d = ns.start("rsyslogd", dir.resolve("rsyslogd.log"), List.of(Prerequisites.resolve("rsyslogd"), "-n",
                "-f", conf.toAbsolutePath().toString(), "-i", dir.resolve("rsyslogd.pid").toAbsolutePath().toString()));
        Rsyslog r = new Rsyslog(d, received);
        // Ready when it listens: a probe datagram of our own comes back in the file.
        try {
            Await.until("rsyslogd listening on " + address + ":" + port, Duration.ofSeconds(10), () -> {
                r.probe(ns, address, port);
                return r.lines();
            }, lines -> lines.stream().anyMatch(l -> l.endsWith("|<191>probe")));
        } catch (AssertionError e) {
            d.close();
            throw new AssertionError(e.getMessage() + "\nrsyslogd:\n" + d.logTail(20), e);
        }
        return r;
    }

    private void probe(NetNs ns, String address, int port) {
        try {
            ns.call(() -> {
                try (DatagramChannel c = DatagramChannel.open()) {
                    c.send(ByteBuffer.wrap("<191>probe".getBytes(StandardCharsets.US_ASCII)),
                            new InetSocketAddress(address, port));
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line received so far: {@code PRI|FROM-IP|RAW}. */
    List<String> lines() {
        try {
            return Files.exists(received) ? Files.readAllLines(received, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a received line that matches; fails with what was received and rsyslogd's own log. */
    String await(String what, Duration timeout, Predicate<String> line) {
        try {
            return Await.until(what, timeout, this::lines, ls -> ls.stream().anyMatch(line)).stream().filter(line)
                    .findFirst().orElseThrow();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrsyslogd:\n" + daemon.logTail(20), e);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
