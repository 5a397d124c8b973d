package dev.vpnrouter.esp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM verify-then-decrypt for tags JCE refuses (it allows 96..128 bits; RFC 4106 also has
 * a 64-bit ICV). GHASH is computed here with Shoup's 4-bit tables (SP 800-38D 6.4), the tag is
 * compared in constant time, and only then is the payload decrypted with AES-CTR. Slower than
 * JCE's intrinsic GCM, which is why the 12- and 16-byte variants do not come through here.
 */
final class GcmShortTag {
    private static final long R = 0xE100000000000000L;
    /** Reduction for multiplying by x^4: what the 4 bits shifted out contribute. */
    private static final long[] REDUCE4 = new long[16];

    static {
        for (int v = 0; v < 16; v++) {
            long hi = 0;
            long lo = v;
            for (int i = 0; i < 4; i++) {
                boolean carry = (lo & 1) != 0;
                lo = (lo >>> 1) | (hi << 63);
                hi >>>= 1;
                if (carry) {
                    hi ^= R;
                }
            }
            REDUCE4[v] = hi; // lo is 0 again after four shifts of a 4-bit value
        }
    }

    private final long[] tableHi = new long[16];
    private final long[] tableLo = new long[16];
    private final Cipher ecb;
    private final Cipher ctr;
    private final SecretKeySpec key;
    private final byte[] block = new byte[16];
    private final byte[] counter = new byte[16];
    private final byte[] tagMask = new byte[16];
    private final byte[] computed;
    private final byte[] received;
    private long yHi;
    private long yLo;

    GcmShortTag(byte[] aesKey, int tagLength) throws GeneralSecurityException {
        key = new SecretKeySpec(aesKey, "AES");
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, key);
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
        byte[] h = ecb.doFinal(new byte[16]);
        long hHi = readLong(h, 0);
        long hLo = readLong(h, 8);
        // tables[n] = N(x) * H where the nibble's most significant bit is the x^0 coefficient.
        long[] powHi = new long[4];
        long[] powLo = new long[4];
        powHi[0] = hHi;
        powLo[0] = hLo;
        for (int i = 1; i < 4; i++) {
            boolean carry = (powLo[i - 1] & 1) != 0;
            powLo[i] = (powLo[i - 1] >>> 1) | (powHi[i - 1] << 63);
            powHi[i] = (powHi[i - 1] >>> 1) ^ (carry ? R : 0);
        }
        for (int n = 0; n < 16; n++) {
            for (int bit = 0; bit < 4; bit++) {
                if ((n >>> (3 - bit) & 1) != 0) {
                    tableHi[n] ^= powHi[bit];
                    tableLo[n] ^= powLo[bit];
                }
            }
        }
        computed = new byte[tagLength];
        received = new byte[tagLength];
    }

    /**
     * Verifies the tag of {@code in[ctOff, ctOff+ctLen)} followed by the tag, then decrypts into
     * {@code out}. Returns false (and writes nothing) when the tag does not match.
     */
    boolean open(byte[] nonce12, byte[] aad, int aadOff, int aadLen, byte[] in, int ctOff, int ctLen, byte[] out,
            int outOff) throws GeneralSecurityException {
        yHi = 0;
        yLo = 0;
        absorb(aad, aadOff, aadLen);
        absorb(in, ctOff, ctLen);
        // The length block: len(A) || len(C), in bits.
        yHi ^= (long) aadLen * 8;
        yLo ^= (long) ctLen * 8;
        multiplyH();

        System.arraycopy(nonce12, 0, counter, 0, 12);
        counter[12] = 0;
        counter[13] = 0;
        counter[14] = 0;
        counter[15] = 1;
        ecb.update(counter, 0, 16, tagMask, 0);
        writeLong(block, 0, yHi);
        writeLong(block, 8, yLo);
        for (int i = 0; i < computed.length; i++) {
            computed[i] = (byte) (block[i] ^ tagMask[i]);
        }
        System.arraycopy(in, ctOff + ctLen, received, 0, received.length);
        if (!MessageDigest.isEqual(computed, received)) {
            return false;
        }
        counter[15] = 2;
        ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
        ctr.doFinal(in, ctOff, ctLen, out, outOff);
        return true;
    }

    /** GHASH update over data, zero-padded to whole blocks. */
    private void absorb(byte[] data, int off, int len) {
        int end = off + len;
        for (int p = off; p < end; p += 16) {
            int n = Math.min(16, end - p);
            if (n == 16) {
                yHi ^= readLong(data, p);
                yLo ^= readLong(data, p + 8);
            } else {
                java.util.Arrays.fill(block, (byte) 0);
                System.arraycopy(data, p, block, 0, n);
                yHi ^= readLong(block, 0);
                yLo ^= readLong(block, 8);
            }
            multiplyH();
        }
    }

    /** Y = Y * H, Horner over the 32 nibbles from the last (highest powers) to the first. */
    private void multiplyH() {
        long zHi = 0;
        long zLo = 0;
        for (int j = 31; j >= 0; j--) {
            int nibble = (int) ((j < 16 ? yHi >>> (60 - 4 * j) : yLo >>> (60 - 4 * (j - 16))) & 0xF);
            int out = (int) (zLo & 0xF);
            zLo = (zLo >>> 4) | (zHi << 60);
            zHi = (zHi >>> 4) ^ REDUCE4[out];
            zHi ^= tableHi[nibble];
            zLo ^= tableLo[nibble];
        }
        yHi = zHi;
        yLo = zLo;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
