package dev.vpnrouter.ike.wire;

/**
 * The 28-byte ISAKMP header (RFC 2408 3.1). Cookies are 8-byte big-endian values held as {@code long}; the message ID
 * is an unsigned 32-bit value held as {@code int}.
 *
 * <p>{@code nextPayload} and {@code length} describe a decoded datagram. When encoding, {@link IsakmpCodec} writes
 * the real first payload type and total length instead, so headers built for sending may leave them 0 (see
 * {@link #of}).
 */
public record IsakmpHeader(long initiatorCookie, long responderCookie, int nextPayload, int majorVersion,
        int minorVersion, int exchangeType, int flags, int messageId, int length) {

    public static final int SIZE = 28;
    /** Where CKY-R sits in an encoded header (RFC 2408 §3.1), big-endian as every field. */
    public static final int RESPONDER_COOKIE_OFFSET = 8;

    /** E: the payloads after the header are encrypted. */
    public static final int FLAG_ENCRYPTION = 0x01;
    /** C: commit bit (RFC 2408 3.1, RFC 2409 5.5). */
    public static final int FLAG_COMMIT = 0x02;
    /** A: authentication only. */
    public static final int FLAG_AUTH_ONLY = 0x04;
    /** Flag bits that exist in IKEv1; any other bit set is INVALID-FLAGS. */
    public static final int VALID_FLAGS = FLAG_ENCRYPTION | FLAG_COMMIT | FLAG_AUTH_ONLY;

    public IsakmpHeader {
        Bytes.checkRange(nextPayload, 0xff, "next payload");
        Bytes.checkRange(majorVersion, 0xf, "major version");
        Bytes.checkRange(minorVersion, 0xf, "minor version");
        Bytes.checkRange(exchangeType, 0xff, "exchange type");
        Bytes.checkRange(flags, 0xff, "flags");
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
    }

    /** A version 1.0 header to send; next payload and length are filled in by the encoder. */
    public static IsakmpHeader of(long initiatorCookie, long responderCookie, int exchangeType, int flags,
            int messageId) {
        return new IsakmpHeader(initiatorCookie, responderCookie, 0, 1, 0, exchangeType, flags, messageId, 0);
    }

    public boolean isEncrypted() {
        return (flags & FLAG_ENCRYPTION) != 0;
    }

    public boolean isCommit() {
        return (flags & FLAG_COMMIT) != 0;
    }

    public boolean isAuthOnly() {
        return (flags & FLAG_AUTH_ONLY) != 0;
    }

    /** The message ID as the unsigned value strongSwan and IOS print. */
    public long messageIdUnsigned() {
        return messageId & 0xffffffffL;
    }

    public byte[] initiatorCookieBytes() {
        return cookieBytes(initiatorCookie);
    }

    public byte[] responderCookieBytes() {
        return cookieBytes(responderCookie);
    }

    /** CKY-I | CKY-R: the 16-byte ISAKMP SPI of Notify and Delete payloads, and part of NAT-D and SKEYID input. */
    public byte[] cookiePair() {
        byte[] out = new byte[16];
        System.arraycopy(cookieBytes(initiatorCookie), 0, out, 0, 8);
        System.arraycopy(cookieBytes(responderCookie), 0, out, 8, 8);
        return out;
    }

    public IsakmpHeader withResponderCookie(long cookie) {
        return new IsakmpHeader(initiatorCookie, cookie, nextPayload, majorVersion, minorVersion, exchangeType, flags,
                messageId, length);
    }

    public IsakmpHeader withFlags(int newFlags) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, majorVersion, minorVersion,
                exchangeType, newFlags, messageId, length);
    }

    public IsakmpHeader withMessageId(int newMessageId) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, majorVersion, minorVersion,
                exchangeType, flags, newMessageId, length);
    }

    public static byte[] cookieBytes(long cookie) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) cookie;
            cookie >>>= 8;
        }
        return b;
    }

    /** The cookie value of 8 big-endian bytes. */
    public static long cookie(byte[] eightBytes) {
        if (eightBytes.length != 8) {
            throw new IllegalArgumentException("a cookie is 8 bytes, not " + eightBytes.length);
        }
        long v = 0;
        for (byte b : eightBytes) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format("IsakmpHeader[icookie=%016x, rcookie=%016x, next=%s, version=%d.%d, exchange=%s, "
                + "flags=0x%02x, msgid=%08x, length=%d]", initiatorCookie, responderCookie,
                PayloadType.name(nextPayload), majorVersion, minorVersion, ExchangeType.name(exchangeType), flags,
                messageId, length);
    }
}
