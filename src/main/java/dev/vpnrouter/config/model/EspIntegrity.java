package dev.vpnrouter.config.model;

/** The ESP integrity transform of a transform set. */
public enum EspIntegrity {
    MD5_HMAC("esp-md5-hmac"),
    SHA_HMAC("esp-sha-hmac"),
    SHA256_HMAC("esp-sha256-hmac"),
    SHA384_HMAC("esp-sha384-hmac"),
    SHA512_HMAC("esp-sha512-hmac");

    private final String keyword;

    EspIntegrity(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static EspIntegrity of(String keyword) {
        for (EspIntegrity i : values()) {
            if (i.keyword.equals(keyword)) {
                return i;
            }
        }
        throw new IllegalArgumentException(keyword);
    }
}
