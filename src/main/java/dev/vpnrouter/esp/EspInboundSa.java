package dev.vpnrouter.esp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiving direction of an ESP SA in tunnel mode (RFC 4303 3.4): checks lengths, SPI and
 * the replay window, verifies the ICV (in constant time, before decrypting), decrypts, checks
 * padding and next header, and only then moves the replay window. An SA without integrity
 * (encryption only, as IOS accepts {@code esp-3des} alone) has no replay window.
 *
 * <p>Bad input never throws: {@link #open(byte[], int, int, byte[], int)} returns a negative
 * {@link EspDropReason#code()} and counts the drop. For AES-GCM, verification and decryption
 * are one AEAD operation; no plaintext is released when the tag does not match.
 *
 * <p>Not thread-safe: one thread opens on an SA at a time.
 */
public final class EspInboundSa implements EspSa {

    private final int spi;
    private final EspTransform transform;
    private final boolean esn;
    private final EspLifetime lifetime;
    private final ReplayWindow window;

    private final CbcEngine cbc;
    private final Mac mac;
    private final Cipher gcm;
    private final GcmShortTag gcmShort;
    private final SecretKeySpec gcmKey;
    private final byte[] gcmNonce;
    private final byte[] aad = new byte[12];
    private final byte[] macOut = new byte[64];
    private final byte[] icvComputed;
    private final byte[] icvReceived;
    private final byte[] seqHigh = new byte[4];
    private final int minPayload;

    private long packets;
    private long bytes;
    private long recvErrors;
    private final long[] drops = new long[EspDropReason.values().length];
    private int lastNextHeader;

    private EspInboundSa(Builder b) {
        this.spi = b.spi;
        this.transform = b.transform;
        this.esn = b.esn;
        this.lifetime = b.lifetime;
        // No anti-replay without integrity (RFC 4303 3.4.3: MUST NOT; IOS shows "replay detection support: N"):
        // the sequence number is not protected, so a replay may carry any fresh number and a window stops nothing,
        // while a forged number far ahead (its padding and next header pass by chance) would move the window and
        // drop the real traffic as replays until the SA is renewed.
        this.window = new ReplayWindow(transform.hasIntegrity() ? b.replayWindow : 0);
        EspCipher cipher = transform.cipher();
        byte[] keymat = b.keymat;
        try {
            cbc = cipher.isCbc() ? CbcEngine.create(cipher, transform.encryptionKey(keymat), false) : null;
            if (cipher.isAead()) {
                boolean shortTag = transform.icvLength() < 12;
                gcm = shortTag ? null : Cipher.getInstance("AES/GCM/NoPadding");
                gcmShort = shortTag ? new GcmShortTag(transform.encryptionKey(keymat), transform.icvLength()) : null;
                gcmKey = new SecretKeySpec(transform.encryptionKey(keymat), "AES");
                gcmNonce = new byte[12];
                System.arraycopy(transform.salt(keymat), 0, gcmNonce, 0, 4);
            } else {
                gcm = null;
                gcmShort = null;
                gcmKey = null;
                gcmNonce = null;
            }
            mac = EspOutboundSa.createMac(transform, keymat);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up " + transform + ": " + e.getMessage(), e);
        }
        icvComputed = new byte[mac == null ? 0 : transform.icvLength()];
        icvReceived = new byte[icvComputed.length];
        minPayload = cbc != null ? cbc.blockSize() : EspTransform.TRAILER_LENGTH;
    }

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
     * Opens the ESP packet {@code in[off, off+len)} (starting at the SPI). The decrypted payload
     * (inner packet, then padding and trailer) is written at {@code out[outOff]}, which needs
     * {@code len - transform().headerLength() - transform().icvLength()} bytes. {@code out} may
     * be {@code in} with {@code outOff = off + transform().headerLength()} (in place); distinct
     * arrays avoid a copy inside JCE for AES-CBC.
     *
     * @return the inner packet length (the packet is at {@code out[outOff]}), or a negative
     *         {@link EspDropReason#code()}
     */
    public int open(byte[] in, int off, int len, byte[] out, int outOff) {
        if (in == null || out == null || off < 0 || len < 0 || len > in.length - off || outOff < 0) {
            return drop(EspDropReason.BAD_BUFFER);
        }
        if (len < EspTransform.HEADER_LENGTH) {
            return drop(EspDropReason.TRUNCATED);
        }
        if (readInt(in, off) != spi) {
            return drop(EspDropReason.WRONG_SPI);
        }
        int headerLength = transform.headerLength();
        int icvLength = transform.icvLength();
        int payload = len - headerLength - icvLength;
        if (payload < minPayload) {
            return drop(EspDropReason.TRUNCATED);
        }
        if (cbc != null && payload % cbc.blockSize() != 0) {
            return drop(EspDropReason.BAD_LENGTH);
        }
        if (payload > out.length - outOff) {
            return drop(EspDropReason.BAD_BUFFER);
        }
        if (bytes >= lifetime.hardBytes() || packets >= lifetime.hardPackets()) {
            return drop(EspDropReason.SA_EXPIRED);
        }
        int seqLow = readInt(in, off + 4);
        long seq = esn ? window.esnSequence(seqLow) : seqLow & 0xFFFFFFFFL;
        if (!window.check(seq)) {
            return drop(EspDropReason.REPLAY);
        }
        int ivOff = off + EspTransform.HEADER_LENGTH;
        int ctOff = off + headerLength;
        try {
            if (gcmNonce != null) {
                System.arraycopy(in, ivOff, gcmNonce, 4, 8);
                byte[] aadBuf = in;
                int aadOff = off;
                int aadLen = 8;
                if (esn) {
                    EspOutboundSa.fillEsnAad(aad, in, off, seq);
                    aadBuf = aad;
                    aadOff = 0;
                    aadLen = 12;
                }
                if (gcmShort != null) {
                    if (!gcmShort.open(gcmNonce, aadBuf, aadOff, aadLen, in, ctOff, payload, out, outOff)) {
                        return drop(EspDropReason.AUTH_FAILED);
                    }
                } else {
                    gcm.init(Cipher.DECRYPT_MODE, gcmKey, new GCMParameterSpec(icvLength * 8, gcmNonce));
                    gcm.updateAAD(aadBuf, aadOff, aadLen);
                    try {
                        gcm.doFinal(in, ctOff, payload + icvLength, out, outOff);
                    } catch (AEADBadTagException e) {
                        return drop(EspDropReason.AUTH_FAILED);
                    }
                }
            } else {
                if (mac != null && !icvMatches(in, off, len, seq)) {
                    return drop(EspDropReason.AUTH_FAILED);
                }
                if (cbc != null) {
                    cbc.setIv(in, ivOff);
                    cbc.crypt(in, ctOff, payload, out, outOff);
                } else {
                    System.arraycopy(in, ctOff, out, outOff, payload);
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return drop(EspDropReason.INTERNAL_ERROR);
        }
        int padLength = out[outOff + payload - 2] & 0xFF;
        int nextHeader = out[outOff + payload - 1] & 0xFF;
        int inner = payload - EspTransform.TRAILER_LENGTH - padLength;
        if (inner < 0) {
            return drop(EspDropReason.BAD_PADDING);
        }
        for (int i = 0; i < padLength; i++) {
            if (out[outOff + inner + i] != (byte) (i + 1)) {
                return drop(EspDropReason.BAD_PADDING);
            }
        }
        if (nextHeader == 59) {
            return drop(EspDropReason.DUMMY_PACKET);
        }
        if (nextHeader != 4 && nextHeader != 41) {
            return drop(EspDropReason.BAD_NEXT_HEADER);
        }
        window.update(seq);
        packets++;
        bytes += inner;
        lastNextHeader = nextHeader;
        return inner;
    }

    /** Convenience for tests and the simulator: allocates the result. */
    public EspOpenResult open(byte[] packet) {
        if (packet == null) {
            countDrop(EspDropReason.BAD_BUFFER);
            return new EspOpenResult.Dropped(EspDropReason.BAD_BUFFER);
        }
        byte[] out = new byte[packet.length];
        int n = open(packet, 0, packet.length, out, 0);
        if (n < 0) {
            return new EspOpenResult.Dropped(EspDropReason.fromCode(n));
        }
        return new EspOpenResult.Opened(Arrays.copyOf(out, n), lastNextHeader);
    }

    /** HMAC over SPI..end of ciphertext (+ ESN high bits), compared in constant time. */
    private boolean icvMatches(byte[] in, int off, int len, long seq) throws GeneralSecurityException {
        int icvLength = icvComputed.length;
        mac.update(in, off, len - icvLength);
        if (esn) {
            EspOutboundSa.writeInt(seqHigh, 0, (int) (seq >>> 32));
            mac.update(seqHigh);
        }
        mac.doFinal(macOut, 0);
        System.arraycopy(macOut, 0, icvComputed, 0, icvLength);
        System.arraycopy(in, off + len - icvLength, icvReceived, 0, icvLength);
        return MessageDigest.isEqual(icvComputed, icvReceived);
    }

    private int drop(EspDropReason reason) {
        countDrop(reason);
        return reason.code();
    }

    /**
     * Counts a drop decided outside this class, e.g. {@link EspDropReason#INVALID_IDENTITY} when
     * the data plane finds the inner addresses outside the SA's proxy identities.
     */
    public void countDrop(EspDropReason reason) {
        drops[reason.ordinal()]++;
        if (reason != EspDropReason.DUMMY_PACKET) {
            recvErrors++;
        }
    }

    /** Next header of the last packet opened successfully (4 or 41). */
    public int lastNextHeader() {
        return lastNextHeader;
    }

    public ReplayWindow replayWindow() {
        return window;
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
        boolean nearWrap = !esn && 0xFFFFFFFFL - window.highest() < SEQUENCE_SOFT_MARGIN;
        return lifetime.state(bytes, packets, false, nearWrap);
    }

    @Override
    public EspCounters counters() {
        boolean digest = transform.icvLength() > 0;
        boolean decrypt = transform.cipher() != EspCipher.NULL;
        return new EspCounters(0, 0, 0, packets, decrypt ? packets : 0, digest ? packets : 0,
                0, recvErrors, packets, bytes, EspCounters.toMap(EspDropReason.class, drops), java.util.Map.of());
    }

    @Override
    public String toString() {
        return String.format("inbound esp sa spi 0x%08X %s", spi, transform);
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** Options of an inbound SA. */
    public static final class Builder {
        private final int spi;
        private final EspTransform transform;
        private final byte[] keymat;
        private boolean esn;
        private EspLifetime lifetime = EspLifetime.UNLIMITED;
        private int replayWindow = ReplayWindow.DEFAULT_SIZE;

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

        /** Anti-replay window in packets: 0 (disabled) to 1024; default 64. */
        public Builder replayWindow(int packets) {
            if (packets < 0 || packets > ReplayWindow.MAX_SIZE) {
                throw new IllegalArgumentException("replay window must be 0.." + ReplayWindow.MAX_SIZE);
            }
            this.replayWindow = packets;
            return this;
        }

        public EspInboundSa build() {
            return new EspInboundSa(this);
        }
    }
}
