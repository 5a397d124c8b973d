package dev.vpnrouter.ike.wire;

/** Domains of interpretation and IPsec DOI situation bits (RFC 2407 4.2). */
public final class Doi {
    public static final int ISAKMP = 0;
    public static final int IPSEC = 1;

    /** Situation bits of the IPsec DOI. */
    public static final int SIT_IDENTITY_ONLY = 1;
    public static final int SIT_SECRECY = 2;
    public static final int SIT_INTEGRITY = 4;

    private Doi() {
    }
}
