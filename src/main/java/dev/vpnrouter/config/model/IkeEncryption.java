package dev.vpnrouter.config.model;

/** {@code encryption} of an ISAKMP policy; the keyword is what {@code show running-config} prints after "encr". */
public enum IkeEncryption {
    DES("des", 56),
    TRIPLE_DES("3des", 168),
    AES_128("aes", 128),
    AES_192("aes 192", 192),
    AES_256("aes 256", 256);

    private final String keyword;
    private final int keyBits;

    IkeEncryption(String keyword, int keyBits) {
        this.keyword = keyword;
        this.keyBits = keyBits;
    }

    public String keyword() {
        return keyword;
    }

    public int keyBits() {
        return keyBits;
    }
}
