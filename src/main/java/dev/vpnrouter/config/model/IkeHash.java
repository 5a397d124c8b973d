package dev.vpnrouter.config.model;

/** {@code hash} of an ISAKMP policy. */
public enum IkeHash {
    MD5("md5"),
    SHA("sha"),
    SHA256("sha256"),
    SHA384("sha384"),
    SHA512("sha512");

    private final String keyword;

    IkeHash(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static IkeHash of(String keyword) {
        for (IkeHash h : values()) {
            if (h.keyword.equals(keyword)) {
                return h;
            }
        }
        throw new IllegalArgumentException(keyword);
    }
}
