package dev.vpnrouter.config.secret;

import java.util.Locale;
import java.util.Optional;

/**
 * Cisco "type 7" password obfuscation: two decimal digits give a start index into a fixed, well-known key
 * string; each password byte is XORed with the next key character and printed as two hex digits. It hides a
 * password from a glance over the shoulder, nothing more.
 */
public final class Type7 {
    private static final String XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

    private Type7() {
    }

    /** Decodes {@code encoded} (e.g. {@code 0201024E070A0E2649} → {@code gfullage}); empty when malformed. */
    public static Optional<String> decode(String encoded) {
        if (encoded.length() < 2 || encoded.length() % 2 != 0) {
            return Optional.empty();
        }
        int salt = digits(encoded, 0, 10);
        if (salt < 0 || salt >= XLAT.length()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(encoded.length() / 2);
        for (int i = 2; i < encoded.length(); i += 2) {
            int b = digits(encoded, i, 16);
            if (b < 0) {
                return Optional.empty();
            }
            out.append((char) (b ^ XLAT.charAt((salt + i / 2 - 1) % XLAT.length())));
        }
        return Optional.of(out.toString());
    }

    /** Encodes with the given salt (0..15, as IOS chooses). */
    public static String encode(String clear, int salt) {
        if (salt < 0 || salt > 15) {
            throw new IllegalArgumentException("salt must be 0..15: " + salt);
        }
        StringBuilder out = new StringBuilder(2 + clear.length() * 2);
        out.append(salt / 10).append(salt % 10);
        for (int i = 0; i < clear.length(); i++) {
            int b = (clear.charAt(i) & 0xff) ^ XLAT.charAt((salt + i) % XLAT.length());
            out.append(String.format(Locale.ROOT, "%02X", b));
        }
        return out.toString();
    }

    /**
     * Encodes with a salt derived from the password, so that writing the same configuration twice prints the same
     * text (IOS picks a random salt; any salt decodes the same).
     */
    public static String encode(String clear) {
        return encode(clear, Math.floorMod(clear.hashCode(), 16));
    }

    private static int digits(String s, int at, int radix) {
        int hi = Character.digit(s.charAt(at), radix);
        int lo = Character.digit(s.charAt(at + 1), radix);
        return hi < 0 || lo < 0 ? -1 : hi * radix + lo;
    }
}
