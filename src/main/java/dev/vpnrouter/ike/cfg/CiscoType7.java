package dev.vpnrouter.ike.cfg;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Cisco "type 7" password obfuscation ({@code password 7 0201024E070A0E2649}, {@code service password-encryption}):
 * a two-digit offset into a fixed 53-byte table, then one hex pair per character, XORed with the table. It hides
 * a password from a glance at the screen and nothing more; we need it to check Xauth passwords configured that
 * way.
 */
public final class CiscoType7 {
    private static final byte[] TABLE = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
            .getBytes(StandardCharsets.US_ASCII);

    private CiscoType7() {
    }

    /** The clear text of a type-7 string, or empty when it is not well formed. */
    public static Optional<String> decode(String encoded) {
        if (encoded == null || encoded.length() < 2 || encoded.length() % 2 != 0) {
            return Optional.empty();
        }
        int offset;
        try {
            offset = Integer.parseInt(encoded.substring(0, 2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (offset >= TABLE.length) {
            return Optional.empty();
        }
        byte[] out = new byte[(encoded.length() - 2) / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(encoded.charAt(2 + 2 * i), 16);
            int lo = Character.digit(encoded.charAt(3 + 2 * i), 16);
            if (hi < 0 || lo < 0) {
                return Optional.empty();
            }
            out[i] = (byte) (((hi << 4) | lo) ^ TABLE[(offset + i) % TABLE.length]);
        }
        return Optional.of(new String(out, StandardCharsets.ISO_8859_1));
    }

    /** The type-7 form of {@code clear} with the given table offset (0..15, as IOS picks). */
    public static String encode(String clear, int offset) {
        if (offset < 0 || offset > 15) {
            throw new IllegalArgumentException("offset " + offset);
        }
        byte[] in = clear.getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder(String.format("%02d", offset));
        for (int i = 0; i < in.length; i++) {
            sb.append(String.format("%02X", (in[i] ^ TABLE[(offset + i) % TABLE.length]) & 0xff));
        }
        return sb.toString();
    }
}
