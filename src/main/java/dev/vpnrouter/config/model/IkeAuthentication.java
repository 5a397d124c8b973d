package dev.vpnrouter.config.model;

/** {@code authentication} of an ISAKMP policy. */
public enum IkeAuthentication {
    PRE_SHARE("pre-share"),
    RSA_SIG("rsa-sig"),
    RSA_ENCR("rsa-encr");

    private final String keyword;

    IkeAuthentication(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static IkeAuthentication of(String keyword) {
        for (IkeAuthentication a : values()) {
            if (a.keyword.equals(keyword)) {
                return a;
            }
        }
        throw new IllegalArgumentException(keyword);
    }
}
