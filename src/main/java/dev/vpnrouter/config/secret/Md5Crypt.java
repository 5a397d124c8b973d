package dev.vpnrouter.config.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MD5-based crypt(3) of FreeBSD ({@code $1$salt$hash}) that IOS uses for {@code secret 5}: 1000 rounds of
 * MD5 over password, salt and the previous digest, printed in crypt's own base-64 alphabet.
 */
public final class Md5Crypt {
    private static final String MAGIC = "$1$";
    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Md5Crypt() {
    }

    /** True when {@code hash} looks like {@code $1$salt$22chars}. */
    public static boolean isWellFormed(String hash) {
        if (!hash.startsWith(MAGIC)) {
            return false;
        }
        int dollar = hash.indexOf('$', MAGIC.length());
        if (dollar < 0 || dollar - MAGIC.length() > 8 || hash.length() - dollar - 1 != 22) {
            return false;
        }
        for (int i = dollar + 1; i < hash.length(); i++) {
            if (ITOA64.indexOf(hash.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code password} hashes to {@code hash} (a {@code $1$} string); false for malformed hashes. */
    public static boolean verify(String password, String hash) {
        if (!isWellFormed(hash)) {
            return false;
        }
        String salt = hash.substring(MAGIC.length(), hash.indexOf('$', MAGIC.length()));
        byte[] expected = hash.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = crypt(password, salt).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    /** {@code $1$salt$hash} for {@code password}; the salt is cut to 8 characters like crypt(3) does. */
    public static String crypt(String password, String salt) {
        if (salt.length() > 8) {
            salt = salt.substring(0, 8);
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] sl = salt.getBytes(StandardCharsets.UTF_8);
        MessageDigest md = md5();

        MessageDigest alt = md5();
        alt.update(pw);
        alt.update(sl);
        alt.update(pw);
        byte[] altDigest = alt.digest();

        md.update(pw);
        md.update(MAGIC.getBytes(StandardCharsets.US_ASCII));
        md.update(sl);
        for (int left = pw.length; left > 0; left -= 16) {
            md.update(altDigest, 0, Math.min(16, left));
        }
        // The famous quirk: for each bit of the length, a zero byte or the password's first byte.
        for (int i = pw.length; i != 0; i >>>= 1) {
            if ((i & 1) != 0) {
                md.update((byte) 0);
            } else {
                md.update(pw.length > 0 ? pw[0] : 0);
            }
        }
        byte[] digest = md.digest();

        for (int round = 0; round < 1000; round++) {
            MessageDigest r = md5();
            if ((round & 1) != 0) {
                r.update(pw);
            } else {
                r.update(digest);
            }
            if (round % 3 != 0) {
                r.update(sl);
            }
            if (round % 7 != 0) {
                r.update(pw);
            }
            if ((round & 1) != 0) {
                r.update(digest);
            } else {
                r.update(pw);
            }
            digest = r.digest();
        }

        StringBuilder out = new StringBuilder(MAGIC).append(salt).append('$');
        to64(out, (b(digest, 0) << 16) | (b(digest, 6) << 8) | b(digest, 12), 4);
        to64(out, (b(digest, 1) << 16) | (b(digest, 7) << 8) | b(digest, 13), 4);
        to64(out, (b(digest, 2) << 16) | (b(digest, 8) << 8) | b(digest, 14), 4);
        to64(out, (b(digest, 3) << 16) | (b(digest, 9) << 8) | b(digest, 15), 4);
        to64(out, (b(digest, 4) << 16) | (b(digest, 10) << 8) | b(digest, 5), 4);
        to64(out, b(digest, 11), 2);
        return out.toString();
    }

    private static int b(byte[] d, int i) {
        return d[i] & 0xff;
    }

    private static void to64(StringBuilder out, int value, int chars) {
        for (int i = 0; i < chars; i++) {
            out.append(ITOA64.charAt(value & 0x3f));
            value >>>= 6;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }
}
