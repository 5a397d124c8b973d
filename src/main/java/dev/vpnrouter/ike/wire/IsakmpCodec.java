package dev.vpnrouter.ike.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * ISAKMP (IKEv1) datagrams to and from records. Decoding throws only {@link IsakmpDecodeException}, whose notify type
 * says how to answer; encoding throws {@link IllegalArgumentException} only for values no peer could have sent.
 *
 * <h2>Lengths, and where we are lenient</h2>
 * <ul>
 * <li>A datagram shorter than 28 bytes, or a header length below 28, is PAYLOAD-MALFORMED.</li>
 * <li>A datagram shorter than its header length is UNEQUAL-PAYLOAD-LENGTHS. A datagram <em>longer</em> than its
 * header length is accepted and the extra bytes are ignored: old Cisco VPN clients append 16 zero bytes, and
 * libreswan accepts them the same way.</li>
 * <li>In a clear message the payloads must fill the header length exactly (UNEQUAL-PAYLOAD-LENGTHS otherwise): a
 * payload running past it, or bytes left after the last payload.</li>
 * <li>In a decrypted body ({@link #decodePayloads(int, byte[])}) the bytes after the last payload are the RFC 2409
 * padding and are ignored whatever their value: RFC 2409 asks for zeros, but racoon-style peers put the pad length
 * in the last byte, and the HASH covers the payloads only, so nothing depends on the padding.</li>
 * <li>Reserved fields must be zero (PAYLOAD-MALFORMED), per RFC 2408 5.2.</li>
 * </ul>
 */
public final class IsakmpCodec {
    private IsakmpCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes and checks the 28-byte header of a whole datagram. */
    public static IsakmpHeader decodeHeader(byte[] datagram) throws IsakmpDecodeException {
        return decodeHeader(datagram, 0, datagram.length);
    }

    /**
     * Decodes and checks the header of the datagram in {@code buf[offset, offset+length)}: version 1.0, a known
     * exchange type, only the E/C/A flags, a length of at least 28 that the datagram holds.
     *
     * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller bug, not bad input)
     */
    public static IsakmpHeader decodeHeader(byte[] buf, int offset, int length) throws IsakmpDecodeException {
        Objects.checkFromIndexSize(offset, length, buf.length);
        if (length < IsakmpHeader.SIZE) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                    "datagram of " + length + " bytes is shorter than the ISAKMP header");
        }
        WireReader r = new WireReader(buf, offset, length);
        long icookie = r.u64("initiator cookie");
        long rcookie = r.u64("responder cookie");
        int next = r.u8("next payload");
        int version = r.u8("version");
        int exchange = r.u8("exchange type");
        int flags = r.u8("flags");
        int messageId = r.u32("message id");
        long declared = r.u32("length") & 0xffffffffL;
        int major = version >>> 4;
        int minor = version & 0xf;
        if (major != 1) {
            throw new IsakmpDecodeException(NotifyType.INVALID_MAJOR_VERSION, "ISAKMP version " + major + "." + minor);
        }
        if (minor != 0) {
            throw new IsakmpDecodeException(NotifyType.INVALID_MINOR_VERSION, "ISAKMP version " + major + "." + minor);
        }
        if (!ExchangeType.isKnown(exchange)) {
            throw new IsakmpDecodeException(NotifyType.INVALID_EXCHANGE_TYPE, "exchange type " + exchange);
        }
        if ((flags & ~IsakmpHeader.VALID_FLAGS) != 0) {
            throw new IsakmpDecodeException(NotifyType.INVALID_FLAGS, "flags 0x" + Integer.toHexString(flags));
        }
        if (declared < IsakmpHeader.SIZE) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                    "header length " + declared + " is shorter than the header");
        }
        if (declared > length) {
            throw new IsakmpDecodeException(NotifyType.UNEQUAL_PAYLOAD_LENGTHS,
                    "header length " + declared + " but datagram of " + length + " bytes");
        }
        return new IsakmpHeader(icookie, rcookie, next, major, minor, exchange, flags, messageId, (int) declared);
    }

    /** Decodes a whole datagram (see {@link #decode(byte[], int, int)}). */
    public static DecodedMessage decode(byte[] datagram) throws IsakmpDecodeException {
        return decode(datagram, 0, datagram.length);
    }

    /**
     * Decodes the datagram in {@code buf[offset, offset+length)} (after the non-ESP marker on port 4500): a
     * {@link PlainMessage} with its payloads, or, with the E flag, an {@link EncryptedMessage} holding the ciphertext.
     */
    public static DecodedMessage decode(byte[] buf, int offset, int length) throws IsakmpDecodeException {
        IsakmpHeader h = decodeHeader(buf, offset, length);
        int bodyStart = offset + IsakmpHeader.SIZE;
        int bodyLength = h.length() - IsakmpHeader.SIZE;
        if (h.isEncrypted()) {
            return new EncryptedMessage(h, Arrays.copyOfRange(buf, bodyStart, bodyStart + bodyLength));
        }
        return new PlainMessage(h, decodeChain(h.nextPayload(), buf, bodyStart, bodyLength, false));
    }

    /**
     * Decodes the payload chain of a decrypted body starting with payload type {@code firstType} (the header's next
     * payload). Bytes after the last payload are padding and ignored.
     */
    public static PayloadChain decodePayloads(int firstType, byte[] plaintext) throws IsakmpDecodeException {
        return decodeChain(firstType, plaintext, 0, plaintext.length, true);
    }

    /** As {@link #decodePayloads(int, byte[])}, but with {@code strict} no byte may follow the last payload. */
    public static PayloadChain decodePayloads(int firstType, byte[] bytes, boolean strict)
            throws IsakmpDecodeException {
        return decodeChain(firstType, bytes, 0, bytes.length, !strict);
    }

    private static PayloadChain decodeChain(int firstType, byte[] buf, int offset, int length, boolean allowPadding)
            throws IsakmpDecodeException {
        if (firstType < 0 || firstType > 0xff) {
            throw new IsakmpDecodeException(NotifyType.INVALID_PAYLOAD_TYPE, "payload type " + firstType);
        }
        byte[] source = Arrays.copyOfRange(buf, offset, offset + length);
        WireReader r = new WireReader(source, 0, source.length);
        List<Payload> payloads = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        int type = firstType;
        while (type != PayloadType.NONE) {
            int start = r.position();
            if (r.remaining() < PayloadCodec.GENERIC_HEADER) {
                throw new IsakmpDecodeException(NotifyType.UNEQUAL_PAYLOAD_LENGTHS, PayloadType.name(type)
                        + " payload announced at offset " + start + " but only " + r.remaining() + " bytes left");
            }
            int next = r.u8("next payload");
            int reserved = r.u8("reserved");
            int payloadLength = r.u16("payload length");
            if (reserved != 0) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                        PayloadType.name(type) + " payload reserved byte is " + reserved);
            }
            if (payloadLength < PayloadCodec.minimumLength(type)) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, PayloadType.name(type)
                        + " payload length " + payloadLength + " below its minimum " + PayloadCodec.minimumLength(type));
            }
            int bodyLength = payloadLength - PayloadCodec.GENERIC_HEADER;
            if (bodyLength > r.remaining()) {
                throw new IsakmpDecodeException(NotifyType.UNEQUAL_PAYLOAD_LENGTHS, PayloadType.name(type)
                        + " payload length " + payloadLength + " past the end of the message at offset " + start);
            }
            payloads.add(PayloadCodec.decodeBody(type, r.slice(bodyLength, "payload body")));
            starts.add(start);
            type = next;
        }
        int end = r.position();
        if (!allowPadding && r.hasRemaining()) {
            throw new IsakmpDecodeException(NotifyType.UNEQUAL_PAYLOAD_LENGTHS,
                    r.remaining() + " bytes after the last payload");
        }
        int[] startArray = new int[starts.size()];
        for (int i = 0; i < startArray.length; i++) {
            startArray[i] = starts.get(i);
        }
        return new PayloadChain(payloads, source, startArray, end, source.length - end);
    }

    // ---------------------------------------------------------------- encoding

    /**
     * The payload chain as bytes, next-payload and length fields filled in: what is encrypted, and what the HASH of
     * Quick Mode, Informational and Transaction exchanges covers.
     */
    public static byte[] encodePayloads(List<? extends Payload> payloads) {
        WireWriter w = new WireWriter(256);
        writeChain(payloads, w);
        return w.toByteArray();
    }

    /** The body of one payload without its generic header (e.g. SAi_b for HASH_I, IDii_b). */
    public static byte[] encodeBody(Payload payload) {
        WireWriter w = new WireWriter(64);
        PayloadCodec.encodeBody(payload, w);
        return w.toByteArray();
    }

    /**
     * A clear datagram: the header (version, next payload and length taken from the payloads, not from
     * {@code header}) followed by the payloads. The header must not have the E flag.
     */
    public static byte[] encode(IsakmpHeader header, List<? extends Payload> payloads) {
        if (header.isEncrypted()) {
            throw new IllegalArgumentException("header has the E flag: use encodeEncrypted");
        }
        WireWriter w = new WireWriter(256);
        writeHeader(header, payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type(), w);
        writeChain(payloads, w);
        w.patchU32(24, w.size());
        return w.toByteArray();
    }

    /**
     * An encrypted datagram: the header with the E flag set and {@code firstPayloadType} as next payload, followed by
     * the ciphertext the engine produced from {@link #encodePayloads} plus padding.
     */
    public static byte[] encodeEncrypted(IsakmpHeader header, int firstPayloadType, byte[] encryptedBody) {
        Bytes.checkRange(firstPayloadType, 0xff, "first payload type");
        WireWriter w = new WireWriter(IsakmpHeader.SIZE + encryptedBody.length);
        writeHeader(header.withFlags(header.flags() | IsakmpHeader.FLAG_ENCRYPTION), firstPayloadType, w);
        w.bytes(encryptedBody);
        w.patchU32(24, w.size());
        return w.toByteArray();
    }

    /**
     * RFC 2409 padding before encryption: zero bytes up to a multiple of {@code blockSize} (none if already a
     * multiple).
     */
    public static byte[] zeroPad(byte[] plaintext, int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        int padded = (plaintext.length + blockSize - 1) / blockSize * blockSize;
        return Arrays.copyOf(plaintext, padded);
    }

    private static void writeHeader(IsakmpHeader h, int nextPayload, WireWriter w) {
        w.u64(h.initiatorCookie()).u64(h.responderCookie()).u8(nextPayload)
                .u8((h.majorVersion() << 4) | h.minorVersion()).u8(h.exchangeType()).u8(h.flags())
                .u32(h.messageId()).u32(0);
    }

    private static void writeChain(List<? extends Payload> payloads, WireWriter w) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            int at = w.size();
            w.u8(i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.NONE).u8(0).u16(0);
            PayloadCodec.encodeBody(p, w);
            PayloadCodec.patchLength(w, at, PayloadType.name(p.type()) + " payload");
        }
    }
}
