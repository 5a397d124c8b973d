package dev.vpnrouter.ike;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed capture (vectors/strongswan-hub-seed) as datagrams, and the hex values strongSwan logged for one IKE SA.
 */
final class SeedFrames {
    private static final String DIR = "/vectors/strongswan-hub-seed/";
    private final Properties frames = new Properties();
    private final List<String> log;

    SeedFrames() {
        try (InputStream in = SeedFrames.class.getResourceAsStream(DIR + "phase1-kat.properties");
                InputStream logIn = SeedFrames.class.getResourceAsStream(DIR + "hub-charon-ike4.log")) {
            frames.load(in);
            log = new String(logIn.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] isakmp(int frame) {
        return Hex.decode(field(frame, "isakmp"));
    }

    /** The frame as the engine receives it (non-ESP marker already removed). */
    Datagram datagram(int frame) {
        String from = field(frame, "from");
        String to = field(frame, "to");
        return new Datagram(address(from), port(from), address(to), port(to), isakmp(frame));
    }

    private String field(int frame, String name) {
        String v = frames.getProperty("frame." + frame + "." + name);
        if (v == null) {
            throw new IllegalArgumentException("frame " + frame + " has no " + name);
        }
        return v;
    }

    private static int address(String endpoint) {
        return Ipv4.parse(endpoint.substring(0, endpoint.indexOf(':')));
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.indexOf(':') + 1));
    }

    /** The first hex dump labelled {@code label} for IKE SA {@code sa} ("<4>" or "<ra|4>"). */
    byte[] logged(int sa, String label) {
        Pattern head = Pattern.compile("<(?:[^|>]*\\|)?" + sa + "> " + Pattern.quote(label) + " => (\\d+) bytes$");
        Pattern dump = Pattern.compile("> +(\\d+): (.*)$");
        for (int i = 0; i < log.size(); i++) {
            Matcher m = head.matcher(log.get(i));
            if (!m.find()) {
                continue;
            }
            int length = Integer.parseInt(m.group(1));
            byte[] out = new byte[length];
            for (int filled = 0; filled < length; ) {
                Matcher d = dump.matcher(log.get(++i));
                if (!d.find()) {
                    throw new IllegalStateException("bad dump line " + log.get(i));
                }
                int count = Math.min(16, length - filled);
                byte[] chunk = Hex.decode(d.group(2).substring(0, count * 3 - 1).replace(" ", ""));
                System.arraycopy(chunk, 0, out, filled, count);
                filled += count;
            }
            return out;
        }
        throw new IllegalArgumentException("no " + label + " for SA " + sa);
    }
}
