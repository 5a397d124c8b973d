package dev.vpnrouter.ike.wire;

/** ISAKMP payload types (RFC 2408 3.1, RFC 3947, NAT-T drafts, Cisco fragmentation). */
public final class PayloadType {
    public static final int NONE = 0;
    public static final int SA = 1;
    /** Only inside an SA payload. */
    public static final int PROPOSAL = 2;
    /** Only inside a Proposal. */
    public static final int TRANSFORM = 3;
    public static final int KE = 4;
    public static final int ID = 5;
    public static final int CERT = 6;
    public static final int CR = 7;
    public static final int HASH = 8;
    public static final int SIG = 9;
    public static final int NONCE = 10;
    public static final int NOTIFY = 11;
    public static final int DELETE = 12;
    public static final int VENDOR_ID = 13;
    /** Mode Config / Xauth attributes (draft-dukes-ike-mode-cfg). */
    public static final int ATTRIBUTE = 14;
    public static final int NAT_D = 20;
    public static final int NAT_OA = 21;
    /** NAT-D numbering of draft-ietf-ipsec-nat-t-ike-02/03. */
    public static final int NAT_D_DRAFT = 130;
    /** NAT-OA numbering of draft-ietf-ipsec-nat-t-ike-02/03. */
    public static final int NAT_OA_DRAFT = 131;
    /** Cisco/strongSwan IKEv1 fragmentation payload. */
    public static final int FRAGMENT = 132;

    private static final Names NAMES = Names.of(PayloadType.class);

    private PayloadType() {
    }

    public static String name(int value) {
        return NAMES.name(value);
    }

    public static boolean isKnown(int value) {
        return NAMES.isKnown(value);
    }
}
