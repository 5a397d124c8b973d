package dev.vpnrouter.config.secret;

import dev.vpnrouter.common.Hex;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Cisco VPN Client's {@code enc_GroupPwd} / {@code enc_UserPassword} in {@code .pcf} profiles: obfuscation,
 * not protection (the key is derived from the value itself; vpnc ships {@code cisco-decrypt} for it). Layout, hex:
 * 20 random bytes H1, 20 bytes SHA-1 of the ciphertext, then 3DES-CBC of the password with PKCS#5-style padding;
 * key = SHA-1(H1 with its last byte + 1) followed by the first 4 bytes of SHA-1(H1 with its last byte + 3); IV = the
 * first 8 bytes of H1.
 */
public final class CiscoClientPassword {
    private static final int H = 20;

    private CiscoClientPassword() {
    }

    /** The clear password, or empty when the text is not a well-formed encoded value. */
    public static Optional<String> decode(String hex) {
        byte[] bin;
        try {
            bin = Hex.decode(hex.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bin.length < 2 * H + 8 || (bin.length - 2 * H) % 8 != 0) {
            return Optional.empty();
        }
        byte[] h1 = Arrays.copyOf(bin, H);
        byte[] h2 = Arrays.copyOfRange(bin, H, 2 * H);
        byte[] ciphertext = Arrays.copyOfRange(bin, 2 * H, bin.length);
        try {
            if (!MessageDigest.isEqual(sha1(ciphertext), h2)) {
                return Optional.empty();
            }
            Cipher des = Cipher.getInstance("DESede/CBC/NoPadding");
            des.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key(h1), "DESede"),
                    new IvParameterSpec(Arrays.copyOf(h1, 8)));
            byte[] plain = des.doFinal(ciphertext);
            int pad = plain[plain.length - 1] & 0xff;
            if (pad < 1 || pad > 8) {
                return Optional.empty();
            }
            return Optional.of(new String(plain, 0, plain.length - pad, StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** Encodes {@code password} as the Cisco client would store it (random H1). */
    public static String encode(String password, SecureRandom random) {
        byte[] h1 = new byte[H];
        random.nextBytes(h1);
        byte[] clear = password.getBytes(StandardCharsets.ISO_8859_1);
        int pad = 8 - clear.length % 8;
        byte[] plain = Arrays.copyOf(clear, clear.length + pad);
        Arrays.fill(plain, clear.length, plain.length, (byte) pad);
        try {
            Cipher des = Cipher.getInstance("DESede/CBC/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(h1), "DESede"),
                    new IvParameterSpec(Arrays.copyOf(h1, 8)));
            byte[] ciphertext = des.doFinal(plain);
            return Hex.of(h1).toUpperCase() + Hex.of(sha1(ciphertext)).toUpperCase()
                    + Hex.of(ciphertext).toUpperCase();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DESede and SHA-1 are part of every JDK", e);
        }
    }

    private static byte[] key(byte[] h1) throws GeneralSecurityException {
        byte[] ht = h1.clone();
        ht[H - 1]++;
        byte[] first = sha1(ht);
        ht[H - 1] += 2;
        byte[] second = sha1(ht);
        byte[] key = Arrays.copyOf(first, 24);
        System.arraycopy(second, 0, key, H, 4);
        return key;
    }

    private static byte[] sha1(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(data);
    }
}
