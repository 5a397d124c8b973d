package dev.vpnrouter.common;

/**
 * IPv4 addresses as plain {@code int}s (network byte order read as a big-endian int), the one representation
 * shared by config, policy, engines and the simulator: cheap to store by the hundred thousand and to mask.
 */
public final class Ipv4 {
    private Ipv4() {
    }

    /** Parses dotted-quad text; returns {@code null} when the text is not exactly four octets 0..255. */
    public static Integer tryParse(CharSequence text) {
        int value = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255) {
                    return null;
                }
            } else if (c == '.' && octet >= 0 && dots < 3) {
                value = (value << 8) | octet;
                octet = -1;
                dots++;
            } else {
                return null;
            }
        }
        if (dots != 3 || octet < 0) {
            return null;
        }
        return (value << 8) | octet;
    }

    /** Parses dotted-quad text or throws {@link IllegalArgumentException}. */
    public static int parse(CharSequence text) {
        Integer v = tryParse(text);
        if (v == null) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return v;
    }

    public static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** True when {@code mask} is contiguous ones followed by zeros (255.255.254.0, 0.0.0.0, ...). */
    public static boolean isContiguousMask(int mask) {
        int inverted = ~mask;
        return (inverted & (inverted + 1)) == 0;
    }

    /** Prefix length of a contiguous mask. */
    public static int prefixLength(int mask) {
        return Integer.bitCount(mask);
    }

    public static int maskOf(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public static byte[] toBytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    public static int fromBytes(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
                | (b[offset + 3] & 0xff);
    }
}
