package dev.vpnrouter.ike.crypto;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC (RFC 2104) over the JCE {@link Mac}: HMAC-MD5, HMAC-SHA1 and HMAC-SHA2-256/384/512. */
public enum HmacPrf implements Prf {
    HMAC_MD5(HashAlgorithm.MD5, "HmacMD5"),
    HMAC_SHA1(HashAlgorithm.SHA1, "HmacSHA1"),
    HMAC_SHA2_256(HashAlgorithm.SHA2_256, "HmacSHA256"),
    HMAC_SHA2_384(HashAlgorithm.SHA2_384, "HmacSHA384"),
    HMAC_SHA2_512(HashAlgorithm.SHA2_512, "HmacSHA512");

    /*
     * HMAC pads the key with zeros to the block size, so an empty key and a key of one zero byte give the same
     * MAC. JCE's SecretKeySpec refuses empty keys; this stands in for them.
     */
    private static final byte[] EMPTY_KEY_EQUIVALENT = new byte[1];

    private final HashAlgorithm hash;
    private final String jceName;
    /** One Mac per thread, keyed afresh per use: {@code Mac.getInstance} and its provider choice cost per call. */
    private final ThreadLocal<Mac> macs;

    HmacPrf(HashAlgorithm hash, String jceName) {
        this.hash = hash;
        this.jceName = jceName;
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                return Mac.getInstance(jceName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("HMAC " + jceName + " unavailable", e);
            }
        });
    }

    public static HmacPrf of(HashAlgorithm hash) {
        return switch (hash) {
            case MD5 -> HMAC_MD5;
            case SHA1 -> HMAC_SHA1;
            case SHA2_256 -> HMAC_SHA2_256;
            case SHA2_384 -> HMAC_SHA2_384;
            case SHA2_512 -> HMAC_SHA2_512;
        };
    }

    @Override
    public HashAlgorithm hash() {
        return hash;
    }

    @Override
    public int outputLength() {
        return hash.outputLength();
    }

    @Override
    public byte[] compute(byte[] key, byte[]... parts) {
        Mac mac = init(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private Mac init(byte[] key) {
        try {
            Mac mac = macs.get();
            mac.init(new SecretKeySpec(key.length == 0 ? EMPTY_KEY_EQUIVALENT : key, jceName));
            return mac;
        } catch (InvalidKeyException e) {
            // Every JDK provides these MACs, and HMAC accepts keys of any non-zero length.
            throw new IllegalStateException("HMAC " + jceName + " unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "hmac-" + hash.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
