package dev.vpnrouter.ike.wire;

import dev.vpnrouter.common.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The strongSwan hub capture and the values its IKE log printed (vectors/strongswan-hub-seed/README.md). */
final class SeedVectors {
    private static final String DIR = "/vectors/strongswan-hub-seed/";

    private SeedVectors() {
    }

    /** ISAKMP datagrams of the capture, by tshark frame number. */
    static Map<Integer, PcapReader.Datagram> datagrams() throws IOException {
        try (InputStream in = SeedVectors.class.getResourceAsStream(DIR + "seed-exchanges.pcap")) {
            Map<Integer, PcapReader.Datagram> byFrame = new TreeMap<>();
            for (PcapReader.Datagram d : PcapReader.isakmpDatagrams(in)) {
                byFrame.put(d.frame(), d);
            }
            return byFrame;
        }
    }

    static String log() throws IOException {
        try (InputStream in = SeedVectors.class.getResourceAsStream(DIR + "hub-charon-ike4.log")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The first hex dump labelled {@code label} (e.g. "encryption key Ka") in a line of IKE SA {@code tag} (e.g.
     * "<3>" or "<ra|4>"), as strongSwan prints it: "label => n bytes" then lines "   0: 93 B9 ...".
     */
    static byte[] logged(String log, String tag, String label) {
        List<byte[]> all = loggedAll(log, tag, label);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no '" + label + "' for " + tag + " in the log");
        }
        return all.get(0);
    }

    /** Every hex dump labelled {@code label} for IKE SA {@code tag}, in log order. */
    static List<byte[]> loggedAll(String log, String tag, String label) {
        List<byte[]> out = new java.util.ArrayList<>();
        List<String> lines = log.lines().toList();
        Pattern head = Pattern.compile(Pattern.quote(tag) + " " + Pattern.quote(label) + " => (\\d+) bytes");
        Pattern dump = Pattern.compile(Pattern.quote(tag) + "\\s+\\d+: ((?:[0-9A-F]{2} )+)");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = head.matcher(lines.get(i));
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                StringBuilder hex = new StringBuilder();
                for (int j = i + 1; hex.length() < 2 * n && j < lines.size(); j++) {
                    Matcher d = dump.matcher(lines.get(j));
                    if (!d.find()) {
                        break;
                    }
                    hex.append(d.group(1).replace(" ", ""));
                }
                out.add(Hex.decode(hex.substring(0, 2 * n)));
            }
        }
        return out;
    }
}
