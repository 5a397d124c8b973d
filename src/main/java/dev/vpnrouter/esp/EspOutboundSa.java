package dev.vpnrouter.esp;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sending direction of an ESP SA in tunnel mode (RFC 4303): turns an inner IP packet into
 * an ESP packet (SPI, sequence number, IV, encrypted payload + padding + trailer, ICV).
 *
 * <p>Cipher and Mac instances are set up once per SA. Per packet the CBC paths allocate only
 * the HMAC result inside JCE (a few dozen bytes); GCM allocates what JCE's per-packet init needs
 * (about 1 KB). Not thread-safe: one thread seals on an SA at a time.
 *
 * <p>IVs: GCM uses the 64-bit sequence number (unique per key, RFC 4106 3.1). CBC keeps one
 * cipher chain per SA and makes each IV by encrypting (secret random block XOR sequence number)
 * through that chain, so the IV is a block-cipher output nobody can predict (RFC 3602 2.4).
 */
public final class EspOutboundSa implements EspSa {

    private final int spi;
    private final EspTransform transform;
    private final boolean esn;
    private final EspLifetime lifetime;
    private final long maxSequence;

    private final CbcEngine cbc;
    private final Mac mac;
    private final Cipher gcm;
    private final SecretKeySpec gcmKey;
    private final byte[] gcmNonce;
    private final byte[] aad = new byte[12];
    private final byte[] tail = new byte[64];
    private final byte[] tailOut = new byte[96];
    private final byte[] macOut = new byte[64];
    private final byte[] ivSecret;
    private final byte[] ivInput;
    private final byte[] seqHigh = new byte[4];
    private byte[] forcedIv;

    private long nextSequence;
    private boolean sequenceExhausted;

    private long packets;
    private long bytes;
    private long sendErrors;
    private final long[] errors = new long[EspSealError.values().length];

    private EspOutboundSa(Builder b) {
        this.spi = b.spi;
        this.transform = b.transform;
        this.esn = b.esn;
        this.lifetime = b.lifetime;
        this.maxSequence = esn ? -1L : 0xFFFFFFFFL;
        this.nextSequence = b.initialSequence;
        if (!esn && Long.compareUnsigned(b.initialSequence, maxSequence) > 0) {
            throw new IllegalArgumentException("initial sequence number exceeds 32 bits without ESN");
        }
        if (b.initialSequence == 0) {
            throw new IllegalArgumentException("sequence numbers start at 1");
        }
        EspCipher cipher = transform.cipher();
        byte[] keymat = b.keymat;
        try {
            if (cipher.isCbc()) {
                cbc = CbcEngine.create(cipher, transform.encryptionKey(keymat), true);
                ivSecret = new byte[cbc.blockSize()];
                b.random.nextBytes(ivSecret);
                ivInput = new byte[cbc.blockSize()];
            } else {
                cbc = null;
                ivSecret = null;
                ivInput = null;
            }
            if (cipher.isAead()) {
                gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcmKey = new SecretKeySpec(transform.encryptionKey(keymat), "AES");
                gcmNonce = new byte[12];
                System.arraycopy(transform.salt(keymat), 0, gcmNonce, 0, 4);
            } else {
                gcm = null;
                gcmKey = null;
                gcmNonce = null;
            }
            mac = createMac(transform, keymat);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up " + transform + ": " + e.getMessage(), e);
        }
    }

    static Mac createMac(EspTransform transform, byte[] keymat) throws GeneralSecurityException {
        EspIntegrity integrity = transform.integrity();
        if (integrity == EspIntegrity.NONE) {
            return null;
        }
        Mac m = Mac.getInstance(integrity.jceName());
        m.init(new SecretKeySpec(transform.integrityKey(keymat), integrity.jceName()));
        return m;
    }

    /** Starts building an outbound SA from the keying material IKE derived for this direction. */
    /**
     * The SA is deleted: zeroes the key material this object owns (the 3DES key schedule, the GCM salt). Keys
     * inside JCE objects cannot be zeroed from here; they go with the object. What it opens or seals afterwards
     * is garbage.
     */
    public void destroy() {
        if (cbc != null) {
            cbc.destroy();
        }
        if (gcmNonce != null) {
            java.util.Arrays.fill(gcmNonce, (byte) 0);
        }
    }

    public static Builder builder(int spi, EspTransform transform, byte[] keymat) {
        return new Builder(spi, transform, keymat);
    }

    /**
     * Seals an IPv4 or IPv6 packet (next header 4 or 41, from the version nibble).
     *
     * @return the ESP packet length written at {@code out[outOff]}
     *         ({@link EspTransform#sealedLength}), or a negative {@link EspSealError#code()}
     */
    public int seal(byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        if (in == null || inOff < 0 || inLen <= 0 || inLen > in.length - inOff) {
            return seal(in, inOff, inLen, out, outOff, 4); // refuses with the right error
        }
        return switch ((in[inOff] >>> 4) & 0xF) {
            case 4 -> seal(in, inOff, inLen, out, outOff, 4);
            case 6 -> seal(in, inOff, inLen, out, outOff, 41);
            default -> refuse(EspSealError.BAD_INNER_PACKET);
        };
    }

    /**
     * Seals {@code in[inOff, inOff+inLen)} with the given next header. {@code out} needs
     * {@link EspTransform#sealedLength} bytes at {@code outOff}. In and out must not overlap,
     * except in place: the inner packet already sits where the payload goes, at
     * {@code outOff + transform().headerLength()}.
     *
     * @return the ESP packet length, or a negative {@link EspSealError#code()}
     */
    public int seal(byte[] in, int inOff, int inLen, byte[] out, int outOff, int nextHeader) {
        if (in == null || out == null || inOff < 0 || inLen < 0 || inLen > in.length - inOff || outOff < 0) {
            return refuse(EspSealError.BAD_BUFFER);
        }
        if (inLen == 0 || nextHeader < 0 || nextHeader > 255) {
            return refuse(EspSealError.BAD_INNER_PACKET);
        }
        int headerLength = transform.headerLength();
        int sealedLength = transform.sealedLength(inLen);
        if (sealedLength > out.length - outOff) {
            return refuse(EspSealError.BAD_BUFFER);
        }
        if (in == out && inOff != outOff + headerLength && inOff < outOff + sealedLength && outOff < inOff + inLen) {
            return refuse(EspSealError.BAD_BUFFER);
        }
        if (bytes >= lifetime.hardBytes() || packets >= lifetime.hardPackets()) {
            return refuse(EspSealError.SA_EXPIRED);
        }
        if (sequenceExhausted) {
            return refuse(EspSealError.SEQUENCE_EXHAUSTED);
        }
        long seq = nextSequence;
        if (seq == maxSequence) {
            sequenceExhausted = true;
        } else {
            nextSequence = seq + 1;
        }
        writeInt(out, outOff, spi);
        writeInt(out, outOff + 4, (int) seq);
        try {
            if (gcm != null) {
                sealGcm(in, inOff, inLen, out, outOff, seq, nextHeader);
            } else {
                sealCbcOrNull(in, inOff, inLen, out, outOff, seq, nextHeader);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return refuse(EspSealError.INTERNAL_ERROR);
        }
        packets++;
        bytes += inLen;
        return sealedLength;
    }

    /** Convenience for tests and the simulator: allocates the output. */
    public EspSealResult seal(byte[] inner) {
        if (inner == null) {
            return new EspSealResult.Refused(EspSealError.BAD_INNER_PACKET);
        }
        byte[] out = new byte[transform.sealedLength(inner.length)];
        int n = seal(inner, 0, inner.length, out, 0);
        return n < 0 ? new EspSealResult.Refused(EspSealError.fromCode(n)) : new EspSealResult.Sealed(out);
    }

    /** Copies the inner tail (bytes after the last whole block) plus padding and trailer into {@link #tail}. */
    private int buildTail(byte[] in, int inOff, int inLen, int wholeBlocks, int nextHeader) {
        int tailIn = inLen - wholeBlocks;
        System.arraycopy(in, inOff + wholeBlocks, tail, 0, tailIn);
        int padded = transform.paddedPayloadLength(inLen);
        int padLength = padded - inLen - EspTransform.TRAILER_LENGTH;
        for (int i = 0; i < padLength; i++) {
            tail[tailIn + i] = (byte) (i + 1);
        }
        tail[tailIn + padLength] = (byte) padLength;
        tail[tailIn + padLength + 1] = (byte) nextHeader;
        return padded - wholeBlocks;
    }

    private void sealCbcOrNull(byte[] in, int inOff, int inLen, byte[] out, int outOff, long seq, int nextHeader)
            throws GeneralSecurityException {
        int ivOff = outOff + EspTransform.HEADER_LENGTH;
        int ctOff = ivOff + transform.ivLength();
        int padded = transform.paddedPayloadLength(inLen);
        if (cbc != null) {
            int bs = cbc.blockSize();
            int whole = inLen - inLen % bs;
            int tailLength = buildTail(in, inOff, inLen, whole, nextHeader);
            if (forcedIv != null) {
                System.arraycopy(forcedIv, 0, out, ivOff, bs);
                cbc.setIv(out, ivOff);
            } else {
                System.arraycopy(ivSecret, 0, ivInput, 0, bs);
                for (int i = 0; i < 8; i++) {
                    ivInput[bs - 1 - i] ^= (byte) (seq >>> (8 * i));
                }
                cbc.crypt(ivInput, 0, bs, out, ivOff);
            }
            if (whole > 0) {
                cbc.crypt(in, inOff, whole, out, ctOff);
            }
            cbc.crypt(tail, 0, tailLength, out, ctOff + whole);
        } else {
            System.arraycopy(in, inOff, out, ctOff, inLen);
            int tailLength = buildTail(in, inOff, inLen, inLen, nextHeader);
            System.arraycopy(tail, 0, out, ctOff + inLen, tailLength);
        }
        if (mac != null) {
            int icvOff = ctOff + padded;
            mac.update(out, outOff, icvOff - outOff);
            if (esn) {
                writeInt(seqHigh, 0, (int) (seq >>> 32));
                mac.update(seqHigh);
            }
            mac.doFinal(macOut, 0);
            System.arraycopy(macOut, 0, out, icvOff, transform.icvLength());
        }
    }

    private void sealGcm(byte[] in, int inOff, int inLen, byte[] out, int outOff, long seq, int nextHeader)
            throws GeneralSecurityException {
        int ivOff = outOff + EspTransform.HEADER_LENGTH;
        int ctOff = ivOff + transform.ivLength();
        if (forcedIv != null) {
            System.arraycopy(forcedIv, 0, out, ivOff, 8);
        } else {
            writeLong(out, ivOff, seq);
        }
        System.arraycopy(out, ivOff, gcmNonce, 4, 8);
        int icvLength = transform.icvLength();
        // JCE makes tags of 12..16 bytes only; a shorter ICV is the prefix of the 16-byte tag.
        boolean truncate = icvLength < 12;
        gcm.init(Cipher.ENCRYPT_MODE, gcmKey, new GCMParameterSpec(truncate ? 128 : icvLength * 8, gcmNonce));
        if (esn) {
            fillEsnAad(aad, out, outOff, seq);
            gcm.updateAAD(aad, 0, 12);
        } else {
            gcm.updateAAD(out, outOff, 8);
        }
        int whole = inLen & ~15;
        int tailLength = buildTail(in, inOff, inLen, whole, nextHeader);
        int done = whole > 0 ? gcm.update(in, inOff, whole, out, ctOff) : 0;
        if (truncate) {
            int produced = gcm.doFinal(tail, 0, tailLength, tailOut, 0);
            System.arraycopy(tailOut, 0, out, ctOff + done, produced - 16 + icvLength);
        } else {
            gcm.doFinal(tail, 0, tailLength, out, ctOff + done);
        }
    }

    /**
     * RFC 4106 5: the AAD is the ESP header (SPI || seq, 8 bytes) as sent, or with ESN
     * SPI || seq-high || seq-low (12 bytes), built here.
     */
    static void fillEsnAad(byte[] aad, byte[] packet, int off, long seq) {
        System.arraycopy(packet, off, aad, 0, 4);
        writeInt(aad, 4, (int) (seq >>> 32));
        writeInt(aad, 8, (int) seq);
    }

    private int refuse(EspSealError error) {
        sendErrors++;
        errors[error.ordinal()]++;
        return error.code();
    }

    /** Known-answer tests only: every following IV is this value instead of a generated one. */
    void forceIvForTest(byte[] iv) {
        this.forcedIv = iv == null ? null : iv.clone();
    }

    /** The sequence number the next sealed packet will carry (unsigned). */
    public long nextSequence() {
        return nextSequence;
    }

    /** True once the last sequence number was used: every further seal is refused. */
    public boolean sequenceExhausted() {
        return sequenceExhausted;
    }

    @Override
    public int spi() {
        return spi;
    }

    @Override
    public EspTransform transform() {
        return transform;
    }

    @Override
    public boolean esn() {
        return esn;
    }

    @Override
    public EspLifetime lifetime() {
        return lifetime;
    }

    @Override
    public EspLifetimeState lifetimeState() {
        boolean nearWrap = !esn && maxSequence - nextSequence < SEQUENCE_SOFT_MARGIN;
        return lifetime.state(bytes, packets, sequenceExhausted, nearWrap);
    }

    @Override
    public EspCounters counters() {
        boolean digest = transform.icvLength() > 0;
        boolean encrypt = transform.cipher() != EspCipher.NULL;
        return new EspCounters(packets, encrypt ? packets : 0, digest ? packets : 0, 0, 0, 0,
                sendErrors, 0, packets, bytes, java.util.Map.of(),
                EspCounters.toMap(EspSealError.class, errors));
    }

    @Override
    public String toString() {
        return String.format("outbound esp sa spi 0x%08X %s", spi, transform);
    }

    static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void writeLong(byte[] b, int off, long v) {
        writeInt(b, off, (int) (v >>> 32));
        writeInt(b, off + 4, (int) v);
    }

    /** Options of an outbound SA. */
    public static final class Builder {
        private final int spi;
        private final EspTransform transform;
        private final byte[] keymat;
        private boolean esn;
        private EspLifetime lifetime = EspLifetime.UNLIMITED;
        private long initialSequence = 1;
        private SecureRandom random;

        private Builder(int spi, EspTransform transform, byte[] keymat) {
            if (transform == null) {
                throw new IllegalArgumentException("transform is required");
            }
            this.spi = spi;
            this.transform = transform;
            transform.encryptionKey(keymat); // throws if the keying material is too short
            this.keymat = Arrays.copyOf(keymat, transform.keymatLength());
        }

        public Builder esn(boolean esn) {
            this.esn = esn;
            return this;
        }

        public Builder lifetime(EspLifetime lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** First sequence number to send (default 1); for tests of the wrap and for restarts. */
        public Builder initialSequence(long sequence) {
            this.initialSequence = sequence;
            return this;
        }

        /** Randomness for the CBC IV secret; defaults to a fresh DRBG. */
        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        public EspOutboundSa build() {
            if (random == null) {
                try {
                    random = SecureRandom.getInstance("DRBG");
                } catch (NoSuchAlgorithmException e) {
                    random = new SecureRandom();
                }
            }
            return new EspOutboundSa(this);
        }
    }
}
