package dev.vpnrouter.interop;

import dev.vpnrouter.net.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Packet captures in a namespace and their decoding by Wireshark's dissectors: the independent judge of whether
 * what went on the wire is well-formed ISAKMP.
 */
public final class Tshark {
    private static final Duration DECODE_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link Capture#stop()} lets the last packets reach the file. */
    public static final Duration SETTLE = Duration.ofMillis(1200);

    private Tshark() {
    }

    /** A running capture; {@link #close()} (or {@link #stop()}) ends it and flushes the pcap. */
    public static final class Capture implements AutoCloseable {
        private final Daemon daemon;
        private final Path pcap;

        private Capture(Daemon daemon, Path pcap) {
            this.daemon = daemon;
            this.pcap = pcap;
        }

        public Path pcap() {
            return pcap;
        }

        /**
         * Stops the capture and returns the pcap. libpcap hands packets over in blocks with a timeout, so packets
         * of the last moment are not yet in dumpcap's hands: wait {@link #SETTLE} first, then SIGTERM (dumpcap
         * writes what it has and closes the file).
         */
        public Path stop() {
            if (daemon.isAlive()) {
                Daemon.sleep(SETTLE.toMillis());
            }
            daemon.stop(Duration.ofSeconds(5));
            if (!Files.exists(pcap)) {
                throw new AssertionError("capture wrote no " + pcap + "\n" + daemon.logTail(20));
            }
            return pcap;
        }

        @Override
        public void close() {
            daemon.stop(Duration.ofSeconds(5));
        }
    }

    /**
     * Starts capturing on {@code ifname} in {@code ns} into {@code pcap}; returns once dumpcap is capturing
     * (bounded), so packets sent afterwards are in the file. tshark prints "Capturing on" before it even spawns
     * dumpcap, so that line alone is no proof: dumpcap opens the interface first and the output file second, and
     * writes the file header at once, so a non-empty file is.
     */
    public static Capture capture(NetNs ns, String ifname, Path pcap) throws IOException {
        Prerequisites.require("tshark");
        Files.createDirectories(pcap.toAbsolutePath().getParent());
        Files.deleteIfExists(pcap);
        Daemon daemon = ns.start("tshark", Path.of(pcap + ".log"),
                List.of(Prerequisites.resolve("tshark"), "-n", "-i", ifname, "-w", pcap.toAbsolutePath().toString(),
                        "-q"));
        Capture capture = new Capture(daemon, pcap);
        try {
            daemon.awaitLog(Pattern.compile("Capturing on"), Duration.ofSeconds(20));
            awaitFileHeader(daemon, pcap, Duration.ofSeconds(20));
        } catch (AssertionError e) {
            capture.close();
            throw e;
        }
        return capture;
    }

    private static void awaitFileHeader(Daemon daemon, Path pcap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasContent(pcap)) {
            if (System.nanoTime() - deadline > 0 || !daemon.isAlive()) {
                throw new AssertionError("dumpcap did not start writing " + pcap + " within " + timeout + "\n"
                        + daemon.logTail(20));
            }
            Daemon.sleep(20);
        }
    }

    private static boolean hasContent(Path pcap) {
        try {
            return Files.size(pcap) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One line per frame matching {@code displayFilter}: frame number, then {@code fields} tab-separated.
     * {@code options} are extra tshark arguments (e.g. {@code -o uat:ikev1_decryption_table:...}).
     */
    public static List<String> fields(Path pcap, String displayFilter, List<String> options, String... fields)
            throws IOException {
        Prerequisites.require("tshark");
        List<String> command = new ArrayList<>(List.of(Prerequisites.resolve("tshark"), "-n", "-r",
                pcap.toAbsolutePath().toString()));
        command.addAll(options);
        command.addAll(List.of("-Y", displayFilter, "-T", "fields", "-E", "separator=/t", "-e", "frame.number"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Command.Result result = Command.run(DECODE_TIMEOUT, command).check();
        return result.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Frames matching {@code displayFilter}. */
    public static int count(Path pcap, String displayFilter, String... options) throws IOException {
        return fields(pcap, displayFilter, List.of(options)).size();
    }

    /**
     * Frames of {@code protocolFilter} that Wireshark flags as malformed or with an expert error, one line each
     * (frame number, summary, expert message); empty when every such frame decoded cleanly.
     */
    public static List<String> problems(Path pcap, String protocolFilter, String... options) throws IOException {
        return fields(pcap, "(" + protocolFilter + ") && (_ws.malformed || _ws.expert.severity >= \"Error\")",
                List.of(options), "_ws.col.Info", "_ws.expert.message");
    }

    /** {@link #problems} for ISAKMP (UDP 500 and 4500). */
    public static List<String> isakmpProblems(Path pcap, String... options) throws IOException {
        return problems(pcap, "isakmp", options);
    }

    /** The {@code -o} option that lets tshark decrypt IKEv1 with a logged key: cookie and Ka in hex. */
    public static String ikev1Decryption(String initiatorCookieHex, String encryptionKeyHex) {
        return "uat:ikev1_decryption_table:" + initiatorCookieHex + "," + encryptionKeyHex;
    }
}
