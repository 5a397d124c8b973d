package dev.vpnrouter.config.model;

/** The ESP encryption transform of a transform set; the keyword is its IOS spelling including the key size. */
public enum EspCipher {
    DES("esp-des", 56, false),
    TRIPLE_DES("esp-3des", 168, false),
    AES_128("esp-aes", 128, false),
    AES_192("esp-aes 192", 192, false),
    AES_256("esp-aes 256", 256, false),
    GCM_128("esp-gcm", 128, true),
    GCM_256("esp-gcm 256", 256, true),
    NULL("esp-null", 0, false);

    private final String keyword;
    private final int keyBits;
    private final boolean aead;

    EspCipher(String keyword, int keyBits, boolean aead) {
        this.keyword = keyword;
        this.keyBits = keyBits;
        this.aead = aead;
    }

    public String keyword() {
        return keyword;
    }

    public int keyBits() {
        return keyBits;
    }

    /** True for combined-mode ciphers (GCM) that carry their own integrity. */
    public boolean aead() {
        return aead;
    }
}
