package dev.vpnrouter.ike.cfg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MD5-based crypt of FreeBSD ({@code $1$salt$hash}) that IOS uses for {@code username X secret 5 ...} and
 * {@code enable secret 5}. Only verification is needed by the engine (Xauth against local users), plus hashing
 * with a given salt for tests. A shared implementation may later live in the config package; this one is small
 * and self-contained.
 */
public final class Md5Crypt {
    private static final String MAGIC = "$1$";
    private static final char[] ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();

    private Md5Crypt() {
    }

    /** True when {@code password} hashes to {@code crypted} ({@code $1$salt$...}). */
    public static boolean verify(String password, String crypted) {
        if (crypted == null || !crypted.startsWith(MAGIC)) {
            return false;
        }
        int end = crypted.indexOf('$', MAGIC.length());
        if (end < 0) {
            return false;
        }
        String salt = crypted.substring(MAGIC.length(), end);
        byte[] expected = crypted.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = crypt(password, salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    /** {@code $1$salt$hash} of {@code password}; the salt is cut to 8 characters as the original does. */
    public static String crypt(String password, String salt) {
        if (salt.length() > 8) {
            salt = salt.substring(0, 8);
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] s = salt.getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = md5();

        md.update(pw);
        md.update(s);
        md.update(pw);
        byte[] alternate = md.digest();

        md.update(pw);
        md.update(MAGIC.getBytes(StandardCharsets.US_ASCII));
        md.update(s);
        for (int left = pw.length; left > 0; left -= 16) {
            md.update(alternate, 0, Math.min(left, 16));
        }
        // The original code reads a byte of a zeroed buffer here: a zero byte for each set bit.
        for (int i = pw.length; i != 0; i >>>= 1) {
            if ((i & 1) != 0) {
                md.update((byte) 0);
            } else {
                md.update(pw, 0, pw.length == 0 ? 0 : 1);
            }
        }
        byte[] f = md.digest();

        // 1000 rounds to slow down guessing.
        for (int i = 0; i < 1000; i++) {
            if ((i & 1) != 0) {
                md.update(pw);
            } else {
                md.update(f);
            }
            if (i % 3 != 0) {
                md.update(s);
            }
            if (i % 7 != 0) {
                md.update(pw);
            }
            if ((i & 1) != 0) {
                md.update(f);
            } else {
                md.update(pw);
            }
            f = md.digest();
        }

        StringBuilder out = new StringBuilder(MAGIC).append(salt).append('$');
        to64(out, (f[0] & 0xff) << 16 | (f[6] & 0xff) << 8 | (f[12] & 0xff), 4);
        to64(out, (f[1] & 0xff) << 16 | (f[7] & 0xff) << 8 | (f[13] & 0xff), 4);
        to64(out, (f[2] & 0xff) << 16 | (f[8] & 0xff) << 8 | (f[14] & 0xff), 4);
        to64(out, (f[3] & 0xff) << 16 | (f[9] & 0xff) << 8 | (f[15] & 0xff), 4);
        to64(out, (f[4] & 0xff) << 16 | (f[10] & 0xff) << 8 | (f[5] & 0xff), 4);
        to64(out, f[11] & 0xff, 2);
        return out.toString();
    }

    private static void to64(StringBuilder out, int v, int n) {
        for (int i = 0; i < n; i++) {
            out.append(ITOA64[v & 0x3f]);
            v >>>= 6;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
