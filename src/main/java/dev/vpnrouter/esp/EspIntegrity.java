package dev.vpnrouter.esp;

/** ESP integrity algorithms: HMACs truncated per RFC 2403, 2404 and 4868. */
public enum EspIntegrity {
    /** No separate integrity algorithm (AEAD ciphers, or encryption-only transform sets). */
    NONE(0, null, 0, 0, ""),
    HMAC_MD5_96(1, "HmacMD5", 16, 12, "esp-md5-hmac"),
    HMAC_SHA1_96(2, "HmacSHA1", 20, 12, "esp-sha-hmac"),
    HMAC_SHA256_128(5, "HmacSHA256", 32, 16, "esp-sha256-hmac"),
    HMAC_SHA384_192(6, "HmacSHA384", 48, 24, "esp-sha384-hmac"),
    HMAC_SHA512_256(7, "HmacSHA512", 64, 32, "esp-sha512-hmac");

    private final int ikeAuthAlgorithm;
    private final String jceName;
    private final int keyLength;
    private final int icvLength;
    private final String iosName;

    EspIntegrity(int ikeAuthAlgorithm, String jceName, int keyLength, int icvLength, String iosName) {
        this.ikeAuthAlgorithm = ikeAuthAlgorithm;
        this.jceName = jceName;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
        this.iosName = iosName;
    }

    /** The integrity algorithm for an IKEv1 "Authentication Algorithm" value; absent attribute = NONE. */
    public static java.util.Optional<EspIntegrity> fromIkeAuthAlgorithm(int value) {
        for (EspIntegrity i : values()) {
            if (i != NONE && i.ikeAuthAlgorithm == value) {
                return java.util.Optional.of(i);
            }
        }
        return java.util.Optional.empty();
    }

    /** The IKEv1 Quick Mode "Authentication Algorithm" attribute value (RFC 2407 4.5); 0 for NONE. */
    public int ikeAuthAlgorithm() {
        return ikeAuthAlgorithm;
    }

    /** The JCE Mac algorithm name, or null for NONE. */
    public String jceName() {
        return jceName;
    }

    /** Key bytes taken from the keying material. */
    public int keyLength() {
        return keyLength;
    }

    /** Truncated ICV bytes carried in each packet. */
    public int icvLength() {
        return icvLength;
    }

    /** The IOS transform-set keyword, e.g. {@code esp-sha-hmac}; empty for NONE. */
    public String iosName() {
        return iosName;
    }

    /** The algorithm name tshark's ESP SA table uses. */
    public String wiresharkName() {
        return switch (this) {
            case NONE -> "NULL";
            case HMAC_MD5_96 -> "HMAC-MD5-96 [RFC2403]";
            case HMAC_SHA1_96 -> "HMAC-SHA-1-96 [RFC2404]";
            case HMAC_SHA256_128 -> "HMAC-SHA-256-128 [RFC4868]";
            case HMAC_SHA384_192 -> "HMAC-SHA-384-192 [RFC4868]";
            case HMAC_SHA512_256 -> "HMAC-SHA-512-256 [RFC4868]";
        };
    }
}
