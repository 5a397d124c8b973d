package dev.vpnrouter.ike.crypto;

import dev.vpnrouter.common.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The seed capture as extracted by extract-phase1-kat.sh into phase1-kat.properties, plus the hub's log. */
final class SeedCapture {
    static final String DIR = "/vectors/strongswan-hub-seed/";

    private final Properties props = new Properties();
    final CharonLog log = CharonLog.load(DIR + "hub-charon-ike4.log");

    SeedCapture() {
        try (InputStream in = SeedCapture.class.getResourceAsStream(DIR + "phase1-kat.properties")) {
            if (in == null) {
                throw new IllegalStateException("missing phase1-kat.properties");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String field(int frame, String name) {
        String v = props.getProperty("frame." + frame + "." + name);
        if (v == null) {
            throw new IllegalArgumentException("frame " + frame + " has no " + name);
        }
        return v;
    }

    byte[] hex(int frame, String name) {
        return Hex.decode(field(frame, name));
    }

    IsakmpMessage message(int frame) {
        return IsakmpMessage.parse(hex(frame, "isakmp"));
    }
}
