package dev.vpnrouter.ike.wire;

import dev.vpnrouter.common.Hex;
import java.util.ArrayList;
import java.util.List;

/** Small helpers so records holding byte arrays stay immutable and compare by content. */
final class Bytes {
    private Bytes() {
    }

    static byte[] copy(byte[] b, String what) {
        if (b == null) {
            throw new NullPointerException(what);
        }
        return b.clone();
    }

    static List<byte[]> copyAll(List<byte[]> list, String what) {
        List<byte[]> out = new ArrayList<>(list.size());
        for (byte[] b : list) {
            out.add(copy(b, what));
        }
        return out;
    }

    static String hex(byte[] b) {
        return b.length <= 64 ? Hex.of(b) : Hex.of(java.util.Arrays.copyOf(b, 64)) + "..(" + b.length + " bytes)";
    }

    static void checkRange(int value, int max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " out of range 0.." + max + ": " + value);
        }
    }
}
