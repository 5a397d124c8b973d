package dev.vpnrouter.ike.wire;

/** ISAKMP exchange types (RFC 2408 3.1, RFC 2409, draft-dukes-ike-mode-cfg). Plain ints: any value may be carried. */
public final class ExchangeType {
    public static final int NONE = 0;
    public static final int BASE = 1;
    /** Main Mode. */
    public static final int IDENTITY_PROTECTION = 2;
    public static final int AUTHENTICATION_ONLY = 3;
    public static final int AGGRESSIVE = 4;
    public static final int INFORMATIONAL = 5;
    /** Mode Config and Xauth. */
    public static final int TRANSACTION = 6;
    public static final int QUICK_MODE = 32;
    public static final int NEW_GROUP_MODE = 33;

    private static final Names NAMES = Names.of(ExchangeType.class);

    private ExchangeType() {
    }

    public static String name(int value) {
        return NAMES.name(value);
    }

    /** True for the IKEv1 exchange types this codec accepts in a header (all above except NONE). */
    public static boolean isKnown(int value) {
        return value != NONE && NAMES.isKnown(value);
    }
}
