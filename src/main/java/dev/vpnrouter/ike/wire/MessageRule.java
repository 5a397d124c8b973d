package dev.vpnrouter.ike.wire;

import static dev.vpnrouter.ike.wire.PayloadCount.any;
import static dev.vpnrouter.ike.wire.PayloadCount.one;
import static dev.vpnrouter.ike.wire.PayloadCount.optional;
import static dev.vpnrouter.ike.wire.PayloadCount.range;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which payloads each IKEv1 message may carry, how many, and whether it is encrypted (RFC 2409 5 and 5.5-5.7,
 * RFC 3947, draft-dukes-ike-mode-cfg), in the spirit of strongSwan's {@code encoding/message.c} table. The engine
 * knows which message it expects and calls {@link #check} before any exchange logic runs.
 *
 * <p>Notify and Vendor ID payloads are allowed wherever real peers put them (INITIAL-CONTACT in Main Mode 5 and
 * Aggressive Mode 3, RESPONDER-LIFETIME in Quick Mode 2, VIDs in every phase 1 message). Fragments (type 132) are
 * reassembled before this check and are not listed.
 */
public enum MessageRule {
    /** HDR, SA [, VID...] */
    MAIN_MODE_1(ExchangeType.IDENTITY_PROTECTION, Encryption.FORBIDDEN, false, Set.of(),
            one(PayloadType.SA), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),
    /** HDR, SA [, VID...] */
    MAIN_MODE_2(ExchangeType.IDENTITY_PROTECTION, Encryption.FORBIDDEN, false, Set.of(),
            one(PayloadType.SA), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),
    /** HDR, KE, Ni [, CR...] [, NAT-D, NAT-D] */
    MAIN_MODE_3(ExchangeType.IDENTITY_PROTECTION, Encryption.FORBIDDEN, false, Set.of(),
            one(PayloadType.KE), one(PayloadType.NONCE), any(PayloadType.CR), any(PayloadType.NAT_D),
            any(PayloadType.NAT_D_DRAFT), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),
    /** HDR, KE, Nr [, CR...] [, NAT-D, NAT-D] */
    MAIN_MODE_4(ExchangeType.IDENTITY_PROTECTION, Encryption.FORBIDDEN, false, Set.of(),
            one(PayloadType.KE), one(PayloadType.NONCE), any(PayloadType.CR), any(PayloadType.NAT_D),
            any(PayloadType.NAT_D_DRAFT), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),
    /** HDR*, IDii, [CERT,] HASH_I | SIG_I [, N(INITIAL-CONTACT)] */
    MAIN_MODE_5(ExchangeType.IDENTITY_PROTECTION, Encryption.REQUIRED, false,
            Set.of(PayloadType.HASH, PayloadType.SIG),
            one(PayloadType.ID), optional(PayloadType.HASH), optional(PayloadType.SIG), any(PayloadType.CERT),
            any(PayloadType.CR), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),
    /** HDR*, IDir, [CERT,] HASH_R | SIG_R */
    MAIN_MODE_6(ExchangeType.IDENTITY_PROTECTION, Encryption.REQUIRED, false,
            Set.of(PayloadType.HASH, PayloadType.SIG),
            one(PayloadType.ID), optional(PayloadType.HASH), optional(PayloadType.SIG), any(PayloadType.CERT),
            any(PayloadType.CR), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),

    /** HDR, SA, KE, Ni, IDii [, VID...] */
    AGGRESSIVE_1(ExchangeType.AGGRESSIVE, Encryption.FORBIDDEN, false, Set.of(),
            one(PayloadType.SA), one(PayloadType.KE), one(PayloadType.NONCE), one(PayloadType.ID),
            any(PayloadType.CR), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),
    /** HDR, SA, KE, Nr, IDir, HASH_R | SIG_R [, VID...] [, NAT-D, NAT-D] */
    AGGRESSIVE_2(ExchangeType.AGGRESSIVE, Encryption.FORBIDDEN, false, Set.of(PayloadType.HASH, PayloadType.SIG),
            one(PayloadType.SA), one(PayloadType.KE), one(PayloadType.NONCE), one(PayloadType.ID),
            optional(PayloadType.HASH), optional(PayloadType.SIG), any(PayloadType.CERT), any(PayloadType.CR),
            any(PayloadType.NAT_D), any(PayloadType.NAT_D_DRAFT), any(PayloadType.VENDOR_ID),
            any(PayloadType.NOTIFY)),
    /** HDR[*], HASH_I | SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D]; RFC 2409 lets it be encrypted or not. */
    AGGRESSIVE_3(ExchangeType.AGGRESSIVE, Encryption.OPTIONAL, false, Set.of(PayloadType.HASH, PayloadType.SIG),
            optional(PayloadType.HASH), optional(PayloadType.SIG), any(PayloadType.CERT), any(PayloadType.NAT_D),
            any(PayloadType.NAT_D_DRAFT), any(PayloadType.VENDOR_ID), any(PayloadType.NOTIFY)),

    /** HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr] */
    QUICK_MODE_1(ExchangeType.QUICK_MODE, Encryption.REQUIRED, true, Set.of(),
            one(PayloadType.HASH), one(PayloadType.SA), one(PayloadType.NONCE), optional(PayloadType.KE),
            range(PayloadType.ID, 0, 2), range(PayloadType.NAT_OA, 0, 2), range(PayloadType.NAT_OA_DRAFT, 0, 2),
            any(PayloadType.NOTIFY)),
    /** HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, NAT-OA...] [, N(RESPONDER-LIFETIME)] */
    QUICK_MODE_2(ExchangeType.QUICK_MODE, Encryption.REQUIRED, true, Set.of(),
            one(PayloadType.HASH), one(PayloadType.SA), one(PayloadType.NONCE), optional(PayloadType.KE),
            range(PayloadType.ID, 0, 2), range(PayloadType.NAT_OA, 0, 2), range(PayloadType.NAT_OA_DRAFT, 0, 2),
            any(PayloadType.NOTIFY)),
    /** HDR*, HASH(3) */
    QUICK_MODE_3(ExchangeType.QUICK_MODE, Encryption.REQUIRED, true, Set.of(), one(PayloadType.HASH)),
    /** HDR*, HASH(4), N(CONNECTED): the responder's answer when the initiator set the commit bit. */
    QUICK_MODE_CONNECTED(ExchangeType.QUICK_MODE, Encryption.REQUIRED, true, Set.of(),
            one(PayloadType.HASH), range(PayloadType.NOTIFY, 1, PayloadCount.MANY)),

    /** HDR[*], [HASH(1),] N | D...: encrypted (HASH first) once phase 1 keys exist, clear before. */
    INFORMATIONAL(ExchangeType.INFORMATIONAL, Encryption.OPTIONAL, true, Set.of(PayloadType.NOTIFY,
            PayloadType.DELETE), optional(PayloadType.HASH), any(PayloadType.NOTIFY), any(PayloadType.DELETE)),
    /** HDR*, HASH, ATTR: Xauth and Mode Config. */
    TRANSACTION(ExchangeType.TRANSACTION, Encryption.REQUIRED, true, Set.of(),
            one(PayloadType.HASH), one(PayloadType.ATTRIBUTE));

    /** Whether a message must, may or must not have the E flag. */
    public enum Encryption {
        REQUIRED, OPTIONAL, FORBIDDEN
    }

    private final int exchangeType;
    private final Encryption encryption;
    private final boolean hashFirstWhenEncrypted;
    private final Set<Integer> atLeastOneOf;
    private final List<PayloadCount> counts;

    MessageRule(int exchangeType, Encryption encryption, boolean hashFirstWhenEncrypted, Set<Integer> atLeastOneOf,
            PayloadCount... counts) {
        this.exchangeType = exchangeType;
        this.encryption = encryption;
        this.hashFirstWhenEncrypted = hashFirstWhenEncrypted;
        this.atLeastOneOf = atLeastOneOf;
        this.counts = List.of(counts);
    }

    public int exchangeType() {
        return exchangeType;
    }

    public Encryption encryption() {
        return encryption;
    }

    /** When the message is encrypted, its first payload must be a HASH (RFC 2409 5.5-5.7, mode-cfg 3.3). */
    public boolean hashFirstWhenEncrypted() {
        return hashFirstWhenEncrypted;
    }

    /** Payload types of which at least one must be present (empty: no such constraint). */
    public Set<Integer> atLeastOneOf() {
        return atLeastOneOf;
    }

    /** Every payload type the message may carry, with its count. */
    public List<PayloadCount> counts() {
        return counts;
    }

    public Optional<PayloadCount> count(int payloadType) {
        for (PayloadCount c : counts) {
            if (c.type() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public boolean allows(int payloadType) {
        return count(payloadType).isPresent();
    }

    /** As {@link #check(IsakmpHeader, List)} for a decoded chain. */
    public void check(IsakmpHeader header, PayloadChain payloads) throws IsakmpDecodeException {
        check(header, payloads.payloads());
    }

    /**
     * Checks a message against this rule: exchange type (INVALID-EXCHANGE-TYPE), E flag (INVALID-FLAGS), payload
     * types (INVALID-PAYLOAD-TYPE), HASH first and present (INVALID-HASH-INFORMATION when missing, PAYLOAD-MALFORMED
     * when misplaced), counts (PAYLOAD-MALFORMED).
     */
    public void check(IsakmpHeader header, List<? extends Payload> payloads) throws IsakmpDecodeException {
        if (header.exchangeType() != exchangeType) {
            throw new IsakmpDecodeException(NotifyType.INVALID_EXCHANGE_TYPE, name() + " expects exchange "
                    + ExchangeType.name(exchangeType) + ", got " + ExchangeType.name(header.exchangeType()));
        }
        boolean encrypted = header.isEncrypted();
        if ((encryption == Encryption.REQUIRED && !encrypted) || (encryption == Encryption.FORBIDDEN && encrypted)) {
            throw new IsakmpDecodeException(NotifyType.INVALID_FLAGS,
                    name() + (encrypted ? " must not be encrypted" : " must be encrypted"));
        }
        int[] seen = new int[counts.size()];
        for (Payload p : payloads) {
            int i = indexOf(p.type());
            if (i < 0) {
                throw new IsakmpDecodeException(NotifyType.INVALID_PAYLOAD_TYPE,
                        PayloadType.name(p.type()) + " payload not allowed in " + name());
            }
            seen[i]++;
        }
        if (hashFirstWhenEncrypted && encrypted) {
            int hashes = seen[indexOf(PayloadType.HASH)];
            if (hashes == 0) {
                throw new IsakmpDecodeException(NotifyType.INVALID_HASH_INFORMATION, name() + " without HASH");
            }
            if (payloads.get(0).type() != PayloadType.HASH) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                        name() + " must start with HASH, starts with " + PayloadType.name(payloads.get(0).type()));
            }
        }
        for (int i = 0; i < counts.size(); i++) {
            PayloadCount c = counts.get(i);
            if (seen[i] < c.min() || seen[i] > c.max()) {
                int notify = c.type() == PayloadType.HASH && seen[i] < c.min() ? NotifyType.INVALID_HASH_INFORMATION
                        : NotifyType.PAYLOAD_MALFORMED;
                throw new IsakmpDecodeException(notify, name() + " carries " + seen[i] + " "
                        + PayloadType.name(c.type()) + " payloads, allowed " + c.min() + ".."
                        + (c.max() == PayloadCount.MANY ? "n" : Integer.toString(c.max())));
            }
        }
        if (!atLeastOneOf.isEmpty()) {
            boolean any = false;
            for (int type : atLeastOneOf) {
                any |= seen[indexOf(type)] > 0;
            }
            if (!any) {
                throw new IsakmpDecodeException(NotifyType.PAYLOAD_MALFORMED,
                        name() + " needs one of " + atLeastOneOf.stream().map(PayloadType::name).toList());
            }
        }
    }

    private int indexOf(int type) {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i).type() == type) {
                return i;
            }
        }
        return -1;
    }
}
