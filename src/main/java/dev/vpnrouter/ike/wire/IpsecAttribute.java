package dev.vpnrouter.ike.wire;

/** IPsec DOI (phase 2) SA attribute types and values, RFC 2407 4.5, RFC 3947 / NAT-T drafts for the UDP modes. */
public final class IpsecAttribute {
    public static final int SA_LIFE_TYPE = 1;
    public static final int SA_LIFE_DURATION = 2;
    public static final int GROUP_DESCRIPTION = 3;
    public static final int ENCAPSULATION_MODE = 4;
    public static final int AUTHENTICATION_ALGORITHM = 5;
    public static final int KEY_LENGTH = 6;
    public static final int KEY_ROUNDS = 7;
    public static final int COMPRESS_DICTIONARY_SIZE = 8;
    public static final int COMPRESS_PRIVATE_ALGORITHM = 9;
    public static final int ECN_TUNNEL = 10;
    public static final int EXTENDED_SEQUENCE_NUMBER = 11;

    private static final Names NAMES = Names.of(IpsecAttribute.class);

    private IpsecAttribute() {
    }

    public static String name(int type) {
        return NAMES.name(type);
    }

    /** True for the attributes RFC 2407 marks variable (may still be TV if the value fits two bytes). */
    public static boolean isVariable(int type) {
        return type == SA_LIFE_DURATION || type == COMPRESS_PRIVATE_ALGORITHM;
    }

    /** Values of {@link #SA_LIFE_TYPE}. */
    public static final class LifeType {
        public static final int SECONDS = 1;
        public static final int KILOBYTES = 2;

        private LifeType() {
        }
    }

    /** Values of {@link #ENCAPSULATION_MODE}. */
    public static final class EncapsulationMode {
        public static final int TUNNEL = 1;
        public static final int TRANSPORT = 2;
        /** RFC 3947. */
        public static final int UDP_TUNNEL = 3;
        public static final int UDP_TRANSPORT = 4;
        /** draft-ietf-ipsec-nat-t-ike-00..03 numbering (Cisco, older strongSwan/vpnc). */
        public static final int UDP_TUNNEL_DRAFT = 61443;
        public static final int UDP_TRANSPORT_DRAFT = 61444;

        private static final Names NAMES = Names.of(EncapsulationMode.class);

        private EncapsulationMode() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }

        public static boolean isTunnel(int value) {
            return value == TUNNEL || value == UDP_TUNNEL || value == UDP_TUNNEL_DRAFT;
        }

        public static boolean isUdpEncapsulated(int value) {
            return value == UDP_TUNNEL || value == UDP_TRANSPORT || value == UDP_TUNNEL_DRAFT
                    || value == UDP_TRANSPORT_DRAFT;
        }
    }

    /** Values of {@link #AUTHENTICATION_ALGORITHM}. */
    public static final class AuthAlgorithm {
        public static final int HMAC_MD5 = 1;
        public static final int HMAC_SHA = 2;
        public static final int DES_MAC = 3;
        public static final int KPDK = 4;
        public static final int HMAC_SHA2_256 = 5;
        public static final int HMAC_SHA2_384 = 6;
        public static final int HMAC_SHA2_512 = 7;
        public static final int HMAC_RIPEMD = 8;
        public static final int AES_XCBC_MAC = 9;
        public static final int SIG_RSA = 10;
        public static final int AES_128_GMAC = 11;
        public static final int AES_192_GMAC = 12;
        public static final int AES_256_GMAC = 13;

        private static final Names NAMES = Names.of(AuthAlgorithm.class);

        private AuthAlgorithm() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }
}
