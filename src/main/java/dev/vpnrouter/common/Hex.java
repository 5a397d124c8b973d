package dev.vpnrouter.common;

import java.util.HexFormat;

/** Hex helpers for logs, key logs and test vectors. */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    public static String of(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /** Decodes hex, ignoring whitespace and colons so vectors can be pasted as printed by tools. */
    public static byte[] decode(String hex) {
        return LOWER.parseHex(hex.replaceAll("[\\s:]", ""));
    }
}
