package dev.vpnrouter.common;

import java.nio.charset.StandardCharsets;

/**
 * Text a peer chose (identities, group and user names, Mode Config strings) as it may be shown to people: in logs,
 * debug lines, the console and vty terminals. Printable ASCII stays as it is; every other byte of its UTF-8 form
 * (CR, LF, ESC and the other controls, DEL, each byte of a non-ASCII character) is written {@code \xNN}, so such a
 * string can neither forge a log line nor drive a terminal.
 */
public final class Printable {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /** {@code text} escaped; null stays null. */
    public static String of(String text) {
        return text == null ? null : of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes off the wire, escaped. */
    public static String of(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return sb.toString();
    }
}
