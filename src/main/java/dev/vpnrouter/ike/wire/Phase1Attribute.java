package dev.vpnrouter.ike.wire;

/** Phase 1 (ISAKMP SA) transform attribute types and values, RFC 2409 Appendix A, plus Xauth/hybrid auth methods. */
public final class Phase1Attribute {
    public static final int ENCRYPTION_ALGORITHM = 1;
    public static final int HASH_ALGORITHM = 2;
    public static final int AUTHENTICATION_METHOD = 3;
    public static final int GROUP_DESCRIPTION = 4;
    public static final int GROUP_TYPE = 5;
    public static final int GROUP_PRIME = 6;
    public static final int GROUP_GENERATOR_ONE = 7;
    public static final int GROUP_GENERATOR_TWO = 8;
    public static final int GROUP_CURVE_A = 9;
    public static final int GROUP_CURVE_B = 10;
    public static final int LIFE_TYPE = 11;
    public static final int LIFE_DURATION = 12;
    public static final int PRF = 13;
    public static final int KEY_LENGTH = 14;
    public static final int FIELD_SIZE = 15;
    public static final int GROUP_ORDER = 16;

    private static final Names NAMES = Names.of(Phase1Attribute.class);

    private Phase1Attribute() {
    }

    public static String name(int type) {
        return NAMES.name(type);
    }

    /**
     * True for the attributes RFC 2409 marks "V" (variable length). They may still be sent as TV when the value fits
     * two bytes (RFC 2408 3.3); the "B" (basic) ones must be TV.
     */
    public static boolean isVariable(int type) {
        return switch (type) {
            case GROUP_PRIME, GROUP_GENERATOR_ONE, GROUP_GENERATOR_TWO, GROUP_CURVE_A, GROUP_CURVE_B, LIFE_DURATION,
                    GROUP_ORDER -> true;
            default -> false;
        };
    }

    /** Values of {@link #ENCRYPTION_ALGORITHM}. */
    public static final class Encryption {
        public static final int DES_CBC = 1;
        public static final int IDEA_CBC = 2;
        public static final int BLOWFISH_CBC = 3;
        public static final int RC5_R16_B64_CBC = 4;
        public static final int TRIPLE_DES_CBC = 5;
        public static final int CAST_CBC = 6;
        public static final int AES_CBC = 7;
        public static final int CAMELLIA_CBC = 8;

        private static final Names NAMES = Names.of(Encryption.class);

        private Encryption() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** Values of {@link #HASH_ALGORITHM}. */
    public static final class Hash {
        public static final int MD5 = 1;
        public static final int SHA = 2;
        public static final int TIGER = 3;
        public static final int SHA2_256 = 4;
        public static final int SHA2_384 = 5;
        public static final int SHA2_512 = 6;

        private static final Names NAMES = Names.of(Hash.class);

        private Hash() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** Values of {@link #AUTHENTICATION_METHOD}, incl. draft-ietf-ipsec-isakmp-xauth-06 and hybrid auth. */
    public static final class AuthMethod {
        public static final int PRE_SHARED_KEY = 1;
        public static final int DSS_SIGNATURES = 2;
        public static final int RSA_SIGNATURES = 3;
        public static final int RSA_ENCRYPTION = 4;
        public static final int RSA_REVISED_ENCRYPTION = 5;
        public static final int ECDSA_SHA256_P256 = 9;
        public static final int ECDSA_SHA384_P384 = 10;
        public static final int ECDSA_SHA512_P521 = 11;
        public static final int HYBRID_INIT_RSA = 64221;
        public static final int HYBRID_RESP_RSA = 64222;
        public static final int HYBRID_INIT_DSS = 64223;
        public static final int HYBRID_RESP_DSS = 64224;
        /** Xauth with pre-shared key, initiator is the client (Cisco VPN Client, vpnc): "XAUTHInitPreShared". */
        public static final int XAUTH_INIT_PRESHARED = 65001;
        public static final int XAUTH_RESP_PRESHARED = 65002;
        public static final int XAUTH_INIT_DSS = 65003;
        public static final int XAUTH_RESP_DSS = 65004;
        public static final int XAUTH_INIT_RSA = 65005;
        public static final int XAUTH_RESP_RSA = 65006;
        public static final int XAUTH_INIT_RSA_ENCRYPTION = 65007;
        public static final int XAUTH_RESP_RSA_ENCRYPTION = 65008;
        public static final int XAUTH_INIT_RSA_REVISED_ENCRYPTION = 65009;
        public static final int XAUTH_RESP_RSA_REVISED_ENCRYPTION = 65010;

        private static final Names NAMES = Names.of(AuthMethod.class);

        private AuthMethod() {
        }

        public static String name(int value) {
            return NAMES.name(value);
        }
    }

    /** Values of {@link #GROUP_TYPE}. */
    public static final class GroupType {
        public static final int MODP = 1;
        public static final int ECP = 2;
        public static final int EC2N = 3;

        private GroupType() {
        }
    }

    /** Values of {@link #LIFE_TYPE}. */
    public static final class LifeType {
        public static final int SECONDS = 1;
        public static final int KILOBYTES = 2;

        private LifeType() {
        }
    }
}
