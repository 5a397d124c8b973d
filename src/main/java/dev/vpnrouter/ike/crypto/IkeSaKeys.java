package dev.vpnrouter.ike.crypto;

import java.util.Arrays;

/**
 * The keys of one IKEv1 SA (ISAKMP SA) and everything computed from them, exactly per RFC 2409: SKEYID and
 * SKEYID_d/a/e (§5), the encryption key Ka with the Appendix B expansion, HASH_I/HASH_R (§5), the Quick Mode
 * and Informational hashes (§5.5, §5.7), KEYMAT (§5.5) and message encryption with {@link IvChain}s.
 *
 * <p>Byte strings named {@code *_b} below are payload bodies: the payload without its 4-byte generic header.
 * "Payloads after HASH" are the encoded payloads that follow the HASH payload in the message, generic headers
 * included, up to the end of the last payload (no padding). Message IDs are the header's 32 bits, used as
 * 4 big-endian bytes.
 *
 * <p>Immutable; the byte arrays it hands out are copies.
 */
public final class IkeSaKeys {
    /** A message body encrypted with an IV chain, and the chain for the next message of the exchange. */
    public record Encrypted(byte[] ciphertext, IvChain next) {
    }

    /** A decrypted message body (with the sender's padding still on) and the chain for the next message. */
    public record Decrypted(byte[] plaintext, IvChain next) {
    }

    private static final byte[] ZERO = {0};
    private static final byte[] ONE = {1};
    private static final byte[] TWO = {2};

    private final Prf prf;
    private final HashAlgorithm hash;
    private final IkeCipher cipher;
    private final byte[] initiatorCookie;
    private final byte[] responderCookie;
    private final byte[] skeyid;
    private final byte[] skeyidD;
    private final byte[] skeyidA;
    private final byte[] skeyidE;
    private final byte[] encryptionKey;

    private IkeSaKeys(Prf prf, HashAlgorithm hash, IkeCipher cipher, byte[] initiatorCookie, byte[] responderCookie,
            byte[] skeyid, byte[] gxy) {
        this.prf = prf;
        this.hash = hash;
        this.cipher = cipher;
        this.initiatorCookie = initiatorCookie.clone();
        this.responderCookie = responderCookie.clone();
        this.skeyid = skeyid.clone();
        this.skeyidD = prf.compute(skeyid, gxy, initiatorCookie, responderCookie, ZERO);
        this.skeyidA = prf.compute(skeyid, skeyidD, gxy, initiatorCookie, responderCookie, ONE);
        this.skeyidE = prf.compute(skeyid, skeyidA, gxy, initiatorCookie, responderCookie, TWO);
        this.encryptionKey = expandEncryptionKey(prf, skeyidE, cipher.keyLength());
    }

    /**
     * Keys for pre-shared key authentication (including XAUTHInitPreShared):
     * {@code SKEYID = prf(pre-shared-key, Ni_b | Nr_b)}.
     *
     * @param gxy the DH shared secret as {@link DhKeyPair#sharedSecret} returns it (left-padded)
     */
    public static IkeSaKeys fromPreSharedKey(Prf prf, HashAlgorithm hash, IkeCipher cipher, byte[] preSharedKey,
            byte[] niB, byte[] nrB, byte[] gxy, byte[] initiatorCookie, byte[] responderCookie) {
        return fromSkeyid(prf, hash, cipher, skeyidPreSharedKey(prf, preSharedKey, niB, nrB), gxy,
                initiatorCookie, responderCookie);
    }

    /** Keys from an SKEYID computed elsewhere (another authentication method). */
    public static IkeSaKeys fromSkeyid(Prf prf, HashAlgorithm hash, IkeCipher cipher, byte[] skeyid, byte[] gxy,
            byte[] initiatorCookie, byte[] responderCookie) {
        if (initiatorCookie.length != 8 || responderCookie.length != 8) {
            throw new IllegalArgumentException("cookies are 8 bytes");
        }
        return new IkeSaKeys(prf, hash, cipher, initiatorCookie, responderCookie, skeyid, gxy);
    }

    /** {@code SKEYID = prf(pre-shared-key, Ni_b | Nr_b)} (RFC 2409 §5). */
    public static byte[] skeyidPreSharedKey(Prf prf, byte[] preSharedKey, byte[] niB, byte[] nrB) {
        return prf.compute(preSharedKey, niB, nrB);
    }

    /**
     * The cipher key from SKEYID_e (RFC 2409 Appendix B): its first bytes when it is long enough, otherwise
     * the first bytes of {@code K1 | K2 | ...} with {@code K1 = prf(SKEYID_e, 0)} (one zero octet) and
     * {@code Kn = prf(SKEYID_e, Kn-1)}.
     */
    public static byte[] expandEncryptionKey(Prf prf, byte[] skeyidE, int length) {
        if (skeyidE.length >= length) {
            return Arrays.copyOf(skeyidE, length);
        }
        byte[] out = new byte[length];
        byte[] k = ZERO;
        for (int at = 0; at < length; at += k.length) {
            k = prf.compute(skeyidE, k);
            System.arraycopy(k, 0, out, at, Math.min(k.length, length - at));
        }
        return out;
    }

    public Prf prf() {
        return prf;
    }

    public HashAlgorithm hash() {
        return hash;
    }

    public IkeCipher cipher() {
        return cipher;
    }

    public byte[] initiatorCookie() {
        return initiatorCookie.clone();
    }

    public byte[] responderCookie() {
        return responderCookie.clone();
    }

    public byte[] skeyid() {
        return skeyid.clone();
    }

    /** {@code SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)}: keys phase 2. */
    public byte[] skeyidD() {
        return skeyidD.clone();
    }

    /** {@code SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)}: authenticates phase 2 and info. */
    public byte[] skeyidA() {
        return skeyidA.clone();
    }

    /** {@code SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)}. */
    public byte[] skeyidE() {
        return skeyidE.clone();
    }

    /**
     * Zeroes every secret this object holds (SKEYID and its children, Ka) when its ISAKMP SA dies, so they do not
     * linger in the heap until the collector reuses the memory. What it computes afterwards is garbage.
     */
    public void destroy() {
        java.util.Arrays.fill(skeyid, (byte) 0);
        java.util.Arrays.fill(skeyidD, (byte) 0);
        java.util.Arrays.fill(skeyidA, (byte) 0);
        java.util.Arrays.fill(skeyidE, (byte) 0);
        java.util.Arrays.fill(encryptionKey, (byte) 0);
        destroyed = true;
    }

    private boolean destroyed;

    /** True once {@link #destroy()} ran. */
    public boolean destroyed() {
        return destroyed;
    }

    /** Ka, the key that encrypts ISAKMP messages, {@link IkeCipher#keyLength()} bytes. */
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    /** {@code HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)}. */
    public byte[] hashI(byte[] gxi, byte[] gxr, byte[] saiB, byte[] idiiB) {
        return prf.compute(skeyid, gxi, gxr, initiatorCookie, responderCookie, saiB, idiiB);
    }

    /**
     * {@code HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)}. Takes g^xi first like
     * {@link #hashI} and swaps internally; SAi_b is the initiator's SA offer in both hashes.
     */
    public byte[] hashR(byte[] gxi, byte[] gxr, byte[] saiB, byte[] idirB) {
        return prf.compute(skeyid, gxr, gxi, responderCookie, initiatorCookie, saiB, idirB);
    }

    /** The phase-1 IV chain: {@code hash(g^xi | g^xr)}. */
    public IvChain phase1Iv(byte[] gxi, byte[] gxr) {
        return IvChain.phase1(hash, cipher, gxi, gxr);
    }

    /** The first IV of exchange {@code messageId}: {@code hash(last phase-1 block | M-ID)}. */
    public IvChain messageIv(IvChain phase1Final, int messageId) {
        return IvChain.forMessageId(hash, cipher, phase1Final, messageId);
    }

    /** Pads the body ({@link IkePadding}) and encrypts it with Ka at the chain's IV. */
    public Encrypted encrypt(IvChain chain, byte[] body) {
        byte[] ciphertext;
        try {
            ciphertext = cipher.encrypt(encryptionKey, chain.iv(), IkePadding.pad(body, cipher.blockSize()));
        } catch (CryptoException e) {
            // Ka and the IV have the cipher's sizes by construction and the body is padded to whole blocks.
            throw new IllegalStateException(e);
        }
        return new Encrypted(ciphertext, chain.after(ciphertext));
    }

    /** Decrypts a received body (everything after the ISAKMP header) with Ka at the chain's IV. */
    public Decrypted decrypt(IvChain chain, byte[] ciphertext) throws CryptoException {
        byte[] plaintext = cipher.decrypt(encryptionKey, chain.iv(), ciphertext);
        return new Decrypted(plaintext, chain.after(ciphertext));
    }

    /** Quick Mode {@code HASH(1) = prf(SKEYID_a, M-ID | payloads after HASH)}. */
    public byte[] quickModeHash1(int messageId, byte[] payloadsAfterHash) {
        return prf.compute(skeyidA, Bytes.int32(messageId), payloadsAfterHash);
    }

    /** Quick Mode {@code HASH(2) = prf(SKEYID_a, M-ID | Ni_b | payloads after HASH)}. */
    public byte[] quickModeHash2(int messageId, byte[] niB, byte[] payloadsAfterHash) {
        return prf.compute(skeyidA, Bytes.int32(messageId), niB, payloadsAfterHash);
    }

    /** Quick Mode {@code HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)}, 0 being one zero octet. */
    public byte[] quickModeHash3(int messageId, byte[] niB, byte[] nrB) {
        return prf.compute(skeyidA, ZERO, Bytes.int32(messageId), niB, nrB);
    }

    /**
     * Informational {@code HASH(1) = prf(SKEYID_a, M-ID | N/D)} (RFC 2409 §5.7); the same form authenticates
     * Transaction (Mode Config / Xauth) messages.
     */
    public byte[] informationalHash(int messageId, byte[] payloadsAfterHash) {
        return prf.compute(skeyidA, Bytes.int32(messageId), payloadsAfterHash);
    }

    /**
     * KEYMAT for one phase-2 SA (RFC 2409 §5.5): the first {@code length} bytes of {@code K1 | K2 | ...} with
     * {@code K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)} and
     * {@code Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)}.
     *
     * @param protocolId the Protocol-ID of the proposal (3 for ESP)
     * @param spi the SPI of this SA as carried in its proposal, i.e. chosen by the side that receives with it
     * @param pfsSharedSecret the Quick Mode DH secret when PFS is used, otherwise {@code null}
     * @param length bytes needed: the encryption key followed by the integrity key
     */
    public byte[] keymat(int protocolId, byte[] spi, byte[] niB, byte[] nrB, byte[] pfsSharedSecret, int length) {
        byte[] pfs = pfsSharedSecret == null ? new byte[0] : pfsSharedSecret;
        byte[] seed = Bytes.concat(pfs, new byte[] {(byte) protocolId}, spi, niB, nrB);
        byte[] out = new byte[length];
        byte[] k = new byte[0];
        for (int at = 0; at < length; at += k.length) {
            k = prf.compute(skeyidD, k, seed);
            System.arraycopy(k, 0, out, at, Math.min(k.length, length - at));
        }
        return out;
    }

    @Override
    public String toString() {
        return "IkeSaKeys[" + prf + ", " + hash + ", " + cipher + ", icookie "
                + dev.vpnrouter.common.Hex.of(initiatorCookie) + "]";
    }
}
