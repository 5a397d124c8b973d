package dev.vpnrouter.esp;

/**
 * ESP encryption algorithms. The GCM variants carry their ICV length in the name because IKEv1
 * negotiates them as three distinct transform IDs (RFC 4106 section 8.4).
 */
public enum EspCipher {
    /** RFC 2410: no confidentiality; must be combined with an integrity algorithm. */
    NULL(11, 0, 0, 4, 0, "esp-null"),
    /** RFC 2451: 3DES-EDE-CBC, 192-bit key (three DES keys including parity bits). */
    DES3_CBC(3, 8, 8, 8, 0, "esp-3des"),
    /** RFC 3602. */
    AES_CBC(12, 16, 16, 16, 0, "esp-aes"),
    /** RFC 4106 with an 8-byte ICV. */
    AES_GCM_8(18, 8, 16, 4, 8, "esp-gcm"),
    /** RFC 4106 with a 12-byte ICV. */
    AES_GCM_12(19, 8, 16, 4, 12, "esp-gcm"),
    /** RFC 4106 with a 16-byte ICV (what IOS and strongSwan mean by plain "gcm"). */
    AES_GCM_16(20, 8, 16, 4, 16, "esp-gcm");

    private final int ikeTransformId;
    private final int ivLength;
    private final int cipherBlockSize;
    private final int padAlignment;
    private final int aeadIcvLength;
    private final String iosName;

    EspCipher(int ikeTransformId, int ivLength, int cipherBlockSize, int padAlignment, int aeadIcvLength,
            String iosName) {
        this.ikeTransformId = ikeTransformId;
        this.ivLength = ivLength;
        this.cipherBlockSize = cipherBlockSize;
        this.padAlignment = padAlignment;
        this.aeadIcvLength = aeadIcvLength;
        this.iosName = iosName;
    }

    /** The cipher with this IKEv1 IPSEC transform ID, if the engine supports it. */
    public static java.util.Optional<EspCipher> fromIkeTransformId(int id) {
        for (EspCipher c : values()) {
            if (c.ikeTransformId == id) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** The IPSEC transform ID used in IKEv1 Quick Mode proposals (RFC 2407 4.4.4 and IANA). */
    public int ikeTransformId() {
        return ikeTransformId;
    }

    /** Bytes of explicit IV carried in each packet. */
    public int ivLength() {
        return ivLength;
    }

    /** Block size of the underlying block cipher (0 for NULL). */
    public int cipherBlockSize() {
        return cipherBlockSize;
    }

    /** Payload+padding+trailer must be a multiple of this (RFC 4303 2.4: at least 4). */
    public int padAlignment() {
        return padAlignment;
    }

    public boolean isAead() {
        return aeadIcvLength > 0;
    }

    /** ICV bytes produced by the AEAD itself; 0 for non-AEAD ciphers. */
    public int aeadIcvLength() {
        return aeadIcvLength;
    }

    /** Bytes of salt taken from the keying material after the key (RFC 4106 8.1). */
    public int saltLength() {
        return isAead() ? 4 : 0;
    }

    public boolean isCbc() {
        return this == DES3_CBC || this == AES_CBC;
    }

    /** Whether the given key size in bits is valid for this cipher. */
    public boolean acceptsKeyBits(int bits) {
        return switch (this) {
            case NULL -> bits == 0;
            case DES3_CBC -> bits == 192;
            case AES_CBC, AES_GCM_8, AES_GCM_12, AES_GCM_16 -> bits == 128 || bits == 192 || bits == 256;
        };
    }

    /** The key size used when IKE does not send a Key Length attribute. */
    public int defaultKeyBits() {
        return switch (this) {
            case NULL -> 0;
            case DES3_CBC -> 192;
            default -> 128;
        };
    }

    /** The IOS transform-set keyword, e.g. {@code esp-aes}. */
    public String iosName() {
        return iosName;
    }

    /** The algorithm name tshark's ESP SA table uses for this cipher. */
    public String wiresharkName() {
        return switch (this) {
            case NULL -> "NULL";
            case DES3_CBC -> "TripleDES-CBC [RFC2451]";
            case AES_CBC -> "AES-CBC [RFC3602]";
            case AES_GCM_8 -> "AES-GCM with 8 octet ICV [RFC4106]";
            case AES_GCM_12 -> "AES-GCM with 12 octet ICV [RFC4106]";
            case AES_GCM_16 -> "AES-GCM with 16 octet ICV [RFC4106]";
        };
    }
}
