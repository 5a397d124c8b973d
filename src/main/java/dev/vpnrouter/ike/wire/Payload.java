package dev.vpnrouter.ike.wire;

/**
 * One payload of an ISAKMP payload chain. Records are immutable values; the generic header's next-payload and
 * length fields are not part of them (the codec derives them). Proposals and transforms live inside
 * {@link SaPayload} and are not payloads of the chain.
 */
public sealed interface Payload permits SaPayload, KePayload, IdPayload, CertPayload, CertRequestPayload,
        HashPayload, SignaturePayload, NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, AttributePayload,
        NatDPayload, NatOaPayload, FragmentPayload, UnknownPayload {

    /** The payload type number this payload is encoded with ({@link PayloadType}). */
    int type();
}
