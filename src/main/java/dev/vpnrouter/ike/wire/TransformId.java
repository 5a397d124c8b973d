package dev.vpnrouter.ike.wire;

/** Transform identifiers per protocol (RFC 2407 4.4.2-4.4.5, RFC 2409, later IANA assignments). */
public final class TransformId {
    private TransformId() {
    }

    /** Protocol ISAKMP. */
    public static final class Isakmp {
        public static final int KEY_IKE = 1;

        private static final Names NAMES = Names.of(Isakmp.class);

        private Isakmp() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** Protocol IPSEC_AH. */
    public static final class Ah {
        public static final int AH_MD5 = 2;
        public static final int AH_SHA = 3;
        public static final int AH_DES = 4;
        public static final int AH_SHA2_256 = 5;
        public static final int AH_SHA2_384 = 6;
        public static final int AH_SHA2_512 = 7;

        private static final Names NAMES = Names.of(Ah.class);

        private Ah() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** Protocol IPSEC_ESP. */
    public static final class Esp {
        public static final int ESP_DES_IV64 = 1;
        public static final int ESP_DES = 2;
        public static final int ESP_3DES = 3;
        public static final int ESP_RC5 = 4;
        public static final int ESP_IDEA = 5;
        public static final int ESP_CAST = 6;
        public static final int ESP_BLOWFISH = 7;
        public static final int ESP_3IDEA = 8;
        public static final int ESP_DES_IV32 = 9;
        public static final int ESP_RC4 = 10;
        public static final int ESP_NULL = 11;
        public static final int ESP_AES = 12;
        public static final int ESP_AES_CTR = 13;
        public static final int ESP_AES_CCM_8 = 14;
        public static final int ESP_AES_CCM_12 = 15;
        public static final int ESP_AES_CCM_16 = 16;
        public static final int ESP_AES_GCM_8 = 18;
        public static final int ESP_AES_GCM_12 = 19;
        public static final int ESP_AES_GCM_16 = 20;
        public static final int ESP_SEED_CBC = 21;
        public static final int ESP_CAMELLIA = 22;
        public static final int ESP_NULL_AUTH_AES_GMAC = 23;

        private static final Names NAMES = Names.of(Esp.class);

        private Esp() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** Protocol IPCOMP. */
    public static final class IpComp {
        public static final int IPCOMP_OUI = 1;
        public static final int IPCOMP_DEFLATE = 2;
        public static final int IPCOMP_LZS = 3;
        public static final int IPCOMP_LZJH = 4;

        private static final Names NAMES = Names.of(IpComp.class);

        private IpComp() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** The name of {@code transformId} under {@code protocolId}, or its number. */
    public static String name(int protocolId, int transformId) {
        return switch (protocolId) {
            case ProtocolId.ISAKMP -> Isakmp.name(transformId);
            case ProtocolId.IPSEC_AH -> Ah.name(transformId);
            case ProtocolId.IPSEC_ESP -> Esp.name(transformId);
            case ProtocolId.IPCOMP -> IpComp.name(transformId);
            default -> Integer.toString(transformId);
        };
    }
}
