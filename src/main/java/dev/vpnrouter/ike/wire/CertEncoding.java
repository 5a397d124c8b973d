package dev.vpnrouter.ike.wire;

/** Certificate encodings of CERT and CR payloads (RFC 2408 3.9). */
public final class CertEncoding {
    public static final int PKCS7_WRAPPED_X509 = 1;
    public static final int PGP = 2;
    public static final int DNS_SIGNED_KEY = 3;
    public static final int X509_SIGNATURE = 4;
    public static final int X509_KEY_EXCHANGE = 5;
    public static final int KERBEROS_TOKENS = 6;
    public static final int CRL = 7;
    public static final int ARL = 8;
    public static final int SPKI = 9;
    public static final int X509_ATTRIBUTE = 10;

    private static final Names NAMES = Names.of(CertEncoding.class);

    private CertEncoding() {
    }

    public static String name(int value) {
        return NAMES.name(value);
    }
}
