package dev.vpnrouter.ike.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Payload bodies to and from bytes. The chain walker ({@link IsakmpCodec}) handles generic headers; this class reads
 * and writes what follows them, checking every count and length against the bytes actually present.
 */
final class PayloadCodec {
    private PayloadCodec() {
    }

    /** Generic header size. */
    static final int GENERIC_HEADER = 4;

    /** Minimum total length (generic header included) of each payload type, RFC 2408 3.4-3.16. */
    static int minimumLength(int type) {
        return switch (type) {
            case PayloadType.SA -> 12;
            case PayloadType.ID, PayloadType.ATTRIBUTE, PayloadType.NAT_OA, PayloadType.NAT_OA_DRAFT,
                    PayloadType.FRAGMENT -> 8;
            case PayloadType.CERT, PayloadType.CR -> 5;
            case PayloadType.NOTIFY, PayloadType.DELETE -> 12;
            default -> GENERIC_HEADER;
        };
    }

    /** True for the payload types decoded into a specific record rather than {@link UnknownPayload}. */
    static boolean isInterpreted(int type) {
        return switch (type) {
            case PayloadType.SA, PayloadType.KE, PayloadType.ID, PayloadType.CERT, PayloadType.CR, PayloadType.HASH,
                    PayloadType.SIG, PayloadType.NONCE, PayloadType.NOTIFY, PayloadType.DELETE, PayloadType.VENDOR_ID,
                    PayloadType.ATTRIBUTE, PayloadType.NAT_D, PayloadType.NAT_D_DRAFT, PayloadType.NAT_OA,
                    PayloadType.NAT_OA_DRAFT, PayloadType.FRAGMENT -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- decoding

    static Payload decodeBody(int type, WireReader r) throws IsakmpDecodeException {
        return switch (type) {
            case PayloadType.SA -> decodeSa(r);
            case PayloadType.KE -> new KePayload(r.rest());
            case PayloadType.ID -> decodeId(r);
            case PayloadType.CERT -> new CertPayload(r.u8("cert encoding"), r.rest());
            case PayloadType.CR -> new CertRequestPayload(r.u8("cert type"), r.rest());
            case PayloadType.HASH -> new HashPayload(r.rest());
            case PayloadType.SIG -> new SignaturePayload(r.rest());
            case PayloadType.NONCE -> new NoncePayload(r.rest());
            case PayloadType.NOTIFY -> decodeNotify(r);
            case PayloadType.DELETE -> decodeDelete(r);
            case PayloadType.VENDOR_ID -> new VendorIdPayload(r.rest());
            case PayloadType.ATTRIBUTE -> decodeAttributePayload(r);
            case PayloadType.NAT_D -> new NatDPayload(r.rest(), false);
            case PayloadType.NAT_D_DRAFT -> new NatDPayload(r.rest(), true);
            case PayloadType.NAT_OA -> decodeNatOa(r, false);
            case PayloadType.NAT_OA_DRAFT -> decodeNatOa(r, true);
            case PayloadType.FRAGMENT -> new FragmentPayload(r.u16("fragment id"), r.u8("fragment number"),
                    r.u8("fragment flags"), r.rest());
            case PayloadType.PROPOSAL, PayloadType.TRANSFORM, PayloadType.NONE ->
                throw new IsakmpDecodeException(NotifyType.INVALID_PAYLOAD_TYPE,
                        PayloadType.name(type) + " payload outside an SA");
            default -> new UnknownPayload(type, r.rest());
        };
    }

    private static void zero(int value, String what) throws IsakmpDecodeException {
        if (value != 0) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, what + " is not zero: " + value);
        }
    }

    private static SaPayload decodeSa(WireReader r) throws IsakmpDecodeException {
        int doi = r.u32("SA DOI");
        if (doi != Doi.IPSEC) {
            throw new IsakmpDecodeException(NotifyType.DOI_NOT_SUPPORTED, "SA with DOI " + (doi & 0xffffffffL));
        }
        int situation = r.u32("SA situation");
        if ((situation & (Doi.SIT_SECRECY | Doi.SIT_INTEGRITY)) != 0) {
            throw new IsakmpDecodeException(NotifyType.SITUATION_NOT_SUPPORTED,
                    "SA situation 0x" + Integer.toHexString(situation));
        }
        List<Proposal> proposals = new ArrayList<>();
        boolean more = true;
        while (more) {
            if (!r.hasRemaining()) {
                throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX,
                        proposals.isEmpty() ? "SA without proposals" : "proposal announced but missing");
            }
            int next = r.u8("proposal next payload");
            zero(r.u8("proposal reserved"), "proposal reserved byte");
            int length = r.u16("proposal length");
            if (next != PayloadType.PROPOSAL && next != PayloadType.NONE) {
                throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX,
                        "proposal followed by payload type " + next);
            }
            if (length < 8) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, "proposal length " + length + " < 8");
            }
            if (length - GENERIC_HEADER > r.remaining()) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                        "proposal length " + length + " past the end of the SA (" + (r.remaining() + 4) + ")");
            }
            proposals.add(decodeProposal(r.slice(length - GENERIC_HEADER, "proposal")));
            more = next == PayloadType.PROPOSAL;
        }
        if (r.hasRemaining()) {
            throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX,
                    r.remaining() + " bytes after the last proposal of the SA");
        }
        return new SaPayload(doi, situation, proposals);
    }

    private static Proposal decodeProposal(WireReader r) throws IsakmpDecodeException {
        int number = r.u8("proposal number");
        int protocol = r.u8("protocol id");
        int spiSize = r.u8("spi size");
        int count = r.u8("number of transforms");
        byte[] spi = r.bytes(spiSize, "proposal SPI");
        if (count == 0) {
            throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX, "proposal " + number + " has 0 transforms");
        }
        List<Transform> transforms = new ArrayList<>(count);
        boolean more = true;
        while (more) {
            if (!r.hasRemaining()) {
                throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX, "proposal " + number + " announces "
                        + count + " transforms, has " + transforms.size());
            }
            int next = r.u8("transform next payload");
            zero(r.u8("transform reserved"), "transform reserved byte");
            int length = r.u16("transform length");
            if (next != PayloadType.TRANSFORM && next != PayloadType.NONE) {
                throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX,
                        "transform followed by payload type " + next);
            }
            if (length < 8) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, "transform length " + length + " < 8");
            }
            if (length - GENERIC_HEADER > r.remaining()) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                        "transform length " + length + " past the end of the proposal");
            }
            transforms.add(decodeTransform(r.slice(length - GENERIC_HEADER, "transform")));
            more = next == PayloadType.TRANSFORM;
        }
        if (r.hasRemaining()) {
            throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX,
                    r.remaining() + " bytes after the last transform of proposal " + number);
        }
        if (transforms.size() != count) {
            throw new IsakmpDecodeException(NotifyType.BAD_PROPOSAL_SYNTAX,
                    "proposal " + number + " announces " + count + " transforms, has " + transforms.size());
        }
        return new Proposal(number, protocol, spi, transforms);
    }

    private static Transform decodeTransform(WireReader r) throws IsakmpDecodeException {
        int number = r.u8("transform number");
        int id = r.u8("transform id");
        zero(r.u16("transform reserved"), "transform reserved field");
        return new Transform(number, id, decodeAttributes(r));
    }

    /** Data attributes filling the rest of {@code r} exactly. */
    static List<DataAttribute> decodeAttributes(WireReader r) throws IsakmpDecodeException {
        List<DataAttribute> out = new ArrayList<>();
        while (r.hasRemaining()) {
            if (r.remaining() < 4) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                        r.remaining() + " stray bytes where an attribute header should be");
            }
            int head = r.u16("attribute type");
            int type = head & 0x7fff;
            if ((head & 0x8000) != 0) {
                out.add(new DataAttribute(type, true, r.bytes(2, "TV attribute value")));
            } else {
                int length = r.u16("attribute length");
                if (length > r.remaining()) {
                    throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, "attribute " + type + " length "
                            + length + " past the end (" + r.remaining() + " bytes left)");
                }
                out.add(new DataAttribute(type, false, r.bytes(length, "TLV attribute value")));
            }
        }
        return out;
    }

    private static IdPayload decodeId(WireReader r) throws IsakmpDecodeException {
        int idType = r.u8("id type");
        int protocol = r.u8("id protocol");
        int port = r.u16("id port");
        byte[] data = r.rest();
        int fixed = IdType.fixedLength(idType);
        if (fixed >= 0 && data.length != fixed) {
            throw new IsakmpDecodeException(NotifyType.INVALID_ID_INFORMATION,
                    IdType.name(idType) + " with " + data.length + " bytes of data, expected " + fixed);
        }
        return new IdPayload(idType, protocol, port, data);
    }

    private static NotifyPayload decodeNotify(WireReader r) throws IsakmpDecodeException {
        int doi = r.u32("notify DOI");
        int protocol = r.u8("notify protocol");
        int spiSize = r.u8("notify spi size");
        int type = r.u16("notify type");
        byte[] spi = r.bytes(spiSize, "notify SPI");
        return new NotifyPayload(doi, protocol, type, spi, r.rest());
    }

    private static DeletePayload decodeDelete(WireReader r) throws IsakmpDecodeException {
        int doi = r.u32("delete DOI");
        int protocol = r.u8("delete protocol");
        int spiSize = r.u8("delete spi size");
        int count = r.u16("number of SPIs");
        if ((long) spiSize * count != r.remaining()) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, "delete of " + count + " SPIs of "
                    + spiSize + " bytes has " + r.remaining() + " bytes of SPIs");
        }
        // Zero-length SPIs name nothing: without this, 12 bytes on the wire would make us build 65,535 of them
        // (found by fuzzing: a cheap way to burn the loop thread's time).
        if (spiSize == 0 && count > 1) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED, "delete of " + count
                    + " SPIs of 0 bytes");
        }
        List<byte[]> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(r.bytes(spiSize, "delete SPI"));
        }
        return new DeletePayload(doi, protocol, spiSize, spis);
    }

    private static AttributePayload decodeAttributePayload(WireReader r) throws IsakmpDecodeException {
        int cfgType = r.u8("cfg type");
        zero(r.u8("attribute payload reserved"), "attribute payload reserved byte");
        int identifier = r.u16("cfg identifier");
        return new AttributePayload(cfgType, identifier, decodeAttributes(r));
    }

    private static NatOaPayload decodeNatOa(WireReader r, boolean draft) throws IsakmpDecodeException {
        int idType = r.u8("NAT-OA id type");
        zero(r.u8("NAT-OA reserved"), "NAT-OA reserved byte");
        zero(r.u16("NAT-OA reserved"), "NAT-OA reserved field");
        byte[] address = r.rest();
        if ((idType == IdType.IPV4_ADDR && address.length != 4) || (idType == IdType.IPV6_ADDR
                && address.length != 16)) {
            throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                    "NAT-OA " + IdType.name(idType) + " with " + address.length + " address bytes");
        }
        return new NatOaPayload(idType, address, draft);
    }

    // ---------------------------------------------------------------- encoding

    static void encodeBody(Payload p, WireWriter w) {
        switch (p) {
            case SaPayload sa -> encodeSa(sa, w);
            case KePayload ke -> w.bytes(ke.data());
            case IdPayload id -> w.u8(id.idType()).u8(id.protocolId()).u16(id.port()).bytes(id.data());
            case CertPayload c -> w.u8(c.encoding()).bytes(c.data());
            case CertRequestPayload c -> w.u8(c.certType()).bytes(c.authority());
            case HashPayload h -> w.bytes(h.data());
            case SignaturePayload s -> w.bytes(s.data());
            case NoncePayload n -> w.bytes(n.data());
            case NotifyPayload n -> w.u32(n.doi()).u8(n.protocolId()).u8(n.spi().length).u16(n.notifyType())
                    .bytes(n.spi()).bytes(n.data());
            case DeletePayload d -> {
                w.u32(d.doi()).u8(d.protocolId()).u8(d.spiSize()).u16(d.spiCount());
                for (byte[] spi : d.spis()) {
                    w.bytes(spi);
                }
            }
            case VendorIdPayload v -> w.bytes(v.data());
            case AttributePayload a -> {
                w.u8(a.cfgType()).u8(0).u16(a.identifier());
                encodeAttributes(a.attributes(), w);
            }
            case NatDPayload n -> w.bytes(n.hash());
            case NatOaPayload n -> w.u8(n.idType()).u8(0).u16(0).bytes(n.address());
            case FragmentPayload f -> w.u16(f.fragmentId()).u8(f.number()).u8(f.flags()).bytes(f.data());
            case UnknownPayload u -> w.bytes(u.body());
        }
    }

    private static void encodeSa(SaPayload sa, WireWriter w) {
        w.u32(sa.doi()).u32(sa.situation());
        List<Proposal> proposals = sa.proposals();
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            int at = w.size();
            w.u8(i + 1 < proposals.size() ? PayloadType.PROPOSAL : PayloadType.NONE).u8(0).u16(0);
            w.u8(p.number()).u8(p.protocolId()).u8(p.spiSize()).u8(p.transforms().size()).bytes(p.spi());
            List<Transform> transforms = p.transforms();
            for (int j = 0; j < transforms.size(); j++) {
                Transform t = transforms.get(j);
                int tAt = w.size();
                w.u8(j + 1 < transforms.size() ? PayloadType.TRANSFORM : PayloadType.NONE).u8(0).u16(0);
                w.u8(t.number()).u8(t.transformId()).u16(0);
                encodeAttributes(t.attributes(), w);
                patchLength(w, tAt, "transform");
            }
            patchLength(w, at, "proposal");
        }
    }

    static void encodeAttributes(List<DataAttribute> attributes, WireWriter w) {
        for (DataAttribute a : attributes) {
            if (a.tv()) {
                w.u16(0x8000 | a.type()).bytes(a.value());
            } else {
                w.u16(a.type()).u16(a.length()).bytes(a.value());
            }
        }
    }

    /** Writes the length of the structure started at {@code at} into its generic header. */
    static void patchLength(WireWriter w, int at, String what) {
        int length = w.size() - at;
        if (length > 0xffff) {
            throw new IllegalArgumentException(what + " of " + length + " bytes exceeds the 16-bit length field");
        }
        w.patchU16(at + 2, length);
    }
}
