package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.crypto.DhGroup;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.crypto.IkeCipher;
import dev.vpnrouter.ike.crypto.NatDetection;
import dev.vpnrouter.ike.wire.DataAttribute;
import dev.vpnrouter.ike.wire.Doi;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.KnownVendorId;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.NotifyPayload;
import dev.vpnrouter.ike.wire.NatDPayload;
import dev.vpnrouter.ike.wire.Payload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.PayloadType;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.Proposal;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;
import dev.vpnrouter.ike.wire.Transform;
import dev.vpnrouter.ike.wire.TransformId;
import dev.vpnrouter.ike.wire.VendorIdPayload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * What Main Mode and Aggressive Mode share (like strongSwan's phase1.c), without state: the SA offer and its
 * selection, vendor IDs, NAT-D, identities. The key exchange, which has state, is {@link Phase1Exchange}'s.
 */
final class Phase1 {
    private Phase1() {
    }

    /** Our offer: one ISAKMP proposal with a transform per {@code crypto isakmp policy}, in priority order. */
    static SaPayload offer(List<IkeProposal> proposals, int authMethodOverride) {
        List<Transform> transforms = new ArrayList<>();
        int n = 1;
        for (IkeProposal p : proposals) {
            transforms.add(transform(n++, p, authMethodOverride == 0 ? p.authMethod() : authMethodOverride));
        }
        return new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY,
                List.of(new Proposal(1, ProtocolId.ISAKMP, new byte[0], transforms)));
    }

    static Transform transform(int number, IkeProposal p, int authMethod) {
        List<DataAttribute> a = new ArrayList<>();
        a.add(DataAttribute.tv(Phase1Attribute.ENCRYPTION_ALGORITHM, p.encryption()));
        if (p.keyBits() != 0) {
            a.add(DataAttribute.tv(Phase1Attribute.KEY_LENGTH, p.keyBits()));
        }
        a.add(DataAttribute.tv(Phase1Attribute.HASH_ALGORITHM, p.hash().ikeId()));
        a.add(DataAttribute.tv(Phase1Attribute.AUTHENTICATION_METHOD, authMethod));
        a.add(DataAttribute.tv(Phase1Attribute.GROUP_DESCRIPTION, p.dhGroup()));
        a.add(DataAttribute.tv(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LifeType.SECONDS));
        a.add(DataAttribute.number(Phase1Attribute.LIFE_DURATION, p.lifetimeSeconds()));
        return new Transform(number, TransformId.Isakmp.KEY_IKE, a);
    }

    /**
     * What the peer proposed in one transform, or null when it uses something we do not support.
     *
     * @param lifetimeSeconds {@link PeerLifetimes#NOT_OFFERED} when the transform names none
     */
    record Offered(int number, int encryption, int keyBits, HashAlgorithm hash, int authMethod, int group,
            long lifetimeSeconds) {
    }

    static Offered parse(Transform t) {
        if (t.transformId() != TransformId.Isakmp.KEY_IKE) {
            return null;
        }
        OptionalLong enc = t.value(Phase1Attribute.ENCRYPTION_ALGORITHM);
        OptionalLong hash = t.value(Phase1Attribute.HASH_ALGORITHM);
        OptionalLong auth = t.value(Phase1Attribute.AUTHENTICATION_METHOD);
        OptionalLong group = t.value(Phase1Attribute.GROUP_DESCRIPTION);
        if (enc.isEmpty() || hash.isEmpty() || auth.isEmpty() || group.isEmpty()) {
            return null;
        }
        HashAlgorithm h = HashAlgorithm.fromIkeId((int) hash.getAsLong()).orElse(null);
        if (h == null) {
            return null;
        }
        long life = PeerLifetimes.NOT_OFFERED;
        OptionalLong type = t.value(Phase1Attribute.LIFE_TYPE);
        OptionalLong duration = t.value(Phase1Attribute.LIFE_DURATION);
        if (type.isPresent() && type.getAsLong() == Phase1Attribute.LifeType.SECONDS && duration.isPresent()) {
            life = duration.getAsLong();
        }
        int keyBits = (int) t.value(Phase1Attribute.KEY_LENGTH).orElse(0);
        return new Offered(t.number(), (int) enc.getAsLong(), keyBits, h, (int) auth.getAsLong(),
                (int) group.getAsLong(), life);
    }

    static boolean isPresharedAuth(int method) {
        return method == Phase1Attribute.AuthMethod.PRE_SHARED_KEY
                || method == Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED;
    }

    /**
     * IOS's selection: each proposed transform in turn against every policy in priority order; the first match
     * wins. The lifetime is the smaller of the two (IOS accepts a shorter one and uses it), see {@link PeerLifetimes}.
     */
    static IkeProposal choose(IkeEngine engine, IkeSa sa, SaPayload sa1) {
        if (sa1.proposals().isEmpty()) {
            return null;
        }
        Proposal proposal = sa1.proposals().getFirst();
        if (proposal.protocolId() != ProtocolId.ISAKMP) {
            return null;
        }
        for (int i = 0; i < proposal.transforms().size(); i++) {
            Transform t = proposal.transforms().get(i);
            // IOS names the payload after this transform: 3 (another transform) or 0 (the last).
            int nextPayload = i + 1 < proposal.transforms().size() ? PayloadType.TRANSFORM : 0;
            Offered o = parse(t);
            for (IkeProposal ours : engine.policy.ikeProposals()) {
                if (engine.debug()) { // a flood's MM1s come here: no text built for nobody
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Checking ISAKMP transform "
                            + t.number() + " against priority " + ours.priority() + " policy");
                }
                if (o == null) {
                    engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are not acceptable. Next payload is "
                            + nextPayload);
                    break;
                }
                if (engine.debug()) {
                    transformDebug(engine, t, o);
                }
                String mismatch = mismatch(o, ours);
                if (mismatch == null) {
                    if (engine.debug()) {
                        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are acceptable. Next payload is "
                                + nextPayload);
                    }
                    sa.offeredLifetimeSeconds = o.lifetimeSeconds();
                    return new IkeProposal(ours.priority(), o.encryption(), o.keyBits(), o.hash(), o.authMethod(),
                            o.group(), engine.peerLifetimes.agree(sa, PeerLifetimes.Kind.PHASE1_SECONDS,
                            o.lifetimeSeconds(), ours.lifetimeSeconds()));
                }
                engine.debug(DebugCategory.ISAKMP, "ISAKMP:      " + mismatch);
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": atts are not acceptable. Next payload is "
                        + nextPayload);
            }
        }
        return null;
    }

    /** One offered ISAKMP transform's attributes as IOS prints them (its names, lifetimes in the form they came). */
    private static void transformDebug(IkeEngine engine, Transform t, Offered o) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP:      encryption " + switch (o.encryption()) {
            case Phase1Attribute.Encryption.DES_CBC -> "DES-CBC";
            case Phase1Attribute.Encryption.TRIPLE_DES_CBC -> "3DES-CBC";
            case Phase1Attribute.Encryption.AES_CBC -> "AES-CBC";
            default -> Phase1Attribute.Encryption.name(o.encryption());
        });
        engine.debug(DebugCategory.ISAKMP, "ISAKMP:      hash " + o.hash().iosName().toUpperCase());
        engine.debug(DebugCategory.ISAKMP, "ISAKMP:      default group " + o.group());
        engine.debug(DebugCategory.ISAKMP, "ISAKMP:      auth " + switch (o.authMethod()) {
            case Phase1Attribute.AuthMethod.PRE_SHARED_KEY -> "pre-share";
            case Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED -> "XAUTHInitPreShared";
            default -> Phase1Attribute.AuthMethod.name(o.authMethod());
        });
        if (o.lifetimeSeconds() != PeerLifetimes.NOT_OFFERED) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP:      life type in seconds");
            engine.debug(DebugCategory.ISAKMP, "ISAKMP:      life duration "
                    + lifeDuration(t.attribute(Phase1Attribute.LIFE_DURATION).orElseThrow()));
        }
        if (o.keyBits() != 0) {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP:      keylength of " + o.keyBits());
        }
    }

    /**
     * A lifetime attribute as IOS prints it: "(basic) of 3600" for the 2-byte form, "(VPI) of 0x0 0x1 0x51 0x80"
     * (each byte) for the variable form.
     */
    static String lifeDuration(DataAttribute a) {
        if (a.tv()) {
            return "(basic) of " + (((a.value()[0] & 0xff) << 8) | (a.value()[1] & 0xff));
        }
        StringBuilder sb = new StringBuilder("(VPI) of");
        for (byte b : a.value()) {
            sb.append(" 0x").append(Integer.toHexString(b & 0xff).toUpperCase());
        }
        return sb.toString();
    }

    /** IOS's line for the first attribute of an offered transform that a policy does not have, null when none. */
    private static String mismatch(Offered o, IkeProposal ours) {
        if (o.encryption() != ours.encryption() || (ours.keyBits() != 0 && o.keyBits() != ours.keyBits())) {
            return "Encryption algorithm offered does not match policy!";
        }
        if (o.hash() != ours.hash()) {
            return "Hash algorithm offered does not match policy!";
        }
        if (!isPresharedAuth(o.authMethod()) || !isPresharedAuth(ours.authMethod())) {
            return "Preshared authentication offered but does not match policy!";
        }
        if (o.group() != ours.dhGroup()) {
            return "Diffie-Hellman group offered does not match policy!";
        }
        return null;
    }

    /** Human form of what the peer offered, for a refusal reason. */
    static String describeOffer(SaPayload sa1) {
        List<String> parts = new ArrayList<>();
        for (Proposal p : sa1.proposals()) {
            for (Transform t : p.transforms()) {
                Offered o = parse(t);
                if (o == null) {
                    parts.add("unsupported");
                } else {
                    parts.add(new IkeProposal(0, o.encryption(), o.keyBits(), o.hash(), o.authMethod(), o.group(),
                            o.lifetimeSeconds()).describe());
                }
            }
        }
        return String.join(", ", parts);
    }

    static String describePolicies(IkeEngine engine) {
        List<String> parts = new ArrayList<>();
        for (IkeProposal p : engine.policy.ikeProposals()) {
            parts.add("policy " + p.priority() + " (" + p.describe() + ")");
        }
        return String.join(", ", parts);
    }

    /** The chosen single-transform SA payload the responder returns. */
    static SaPayload accepted(SaPayload offered, IkeProposal chosen) {
        Proposal p = offered.proposals().getFirst();
        for (Transform t : p.transforms()) {
            Offered o = parse(t);
            if (o != null && o.encryption() == chosen.encryption() && o.keyBits() == chosen.keyBits()
                    && o.hash() == chosen.hash() && o.group() == chosen.dhGroup()
                    && o.authMethod() == chosen.authMethod()) {
                return new SaPayload(offered.doi(), offered.situation(),
                        List.of(new Proposal(p.number(), p.protocolId(), p.spi(), List.of(t))));
            }
        }
        throw new IllegalStateException("chosen transform not in the offer");
    }

    static DhGroup group(IkeProposal p) {
        return DhGroup.byId(p.dhGroup()).orElse(null);
    }

    static IkeCipher cipher(IkeProposal p) {
        return IkeCipher.fromIke(p.encryption(), p.keyBits()).orElse(null);
    }

    // ------------------------------------------------------------------ vendor IDs

    /** The vendor IDs we send: IOS-like capabilities plus NAT-T (RFC and drafts in the first message). */
    static List<Payload> vendorIds(boolean firstMessage, IkeSa sa) {
        List<Payload> v = new ArrayList<>();
        if (firstMessage || sa.peerNatT) {
            if (firstMessage && sa.initiator) {
                v.add(KnownVendorId.NAT_T_RFC3947.payload());
                v.add(KnownVendorId.NAT_T_DRAFT_03.payload());
                v.add(KnownVendorId.NAT_T_DRAFT_02N.payload());
            } else if (sa.peerNatT) {
                v.add(sa.peerNatTDraft ? KnownVendorId.NAT_T_DRAFT_02N.payload() : KnownVendorId.NAT_T_RFC3947.payload());
            }
        }
        v.add(KnownVendorId.DPD.payload());
        v.add(KnownVendorId.XAUTH.payload());
        v.add(KnownVendorId.CISCO_UNITY.payload());
        return v;
    }

    /** Records what the peer's vendor IDs announce, logging each as IOS does. */
    static void processVendorIds(IkeEngine engine, IkeSa sa, PayloadChain chain) {
        boolean rfc = false;
        boolean draft = false;
        for (VendorIdPayload vid : chain.all(VendorIdPayload.class)) {
            boolean debug = engine.debug(); // a flood's MM1s come here: no text built for nobody
            if (debug) {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": processing vendor id payload");
            }
            KnownVendorId known = KnownVendorId.identify(vid.data()).orElse(null);
            if (known == null) {
                continue; // IOS names only the vendor IDs it knows
            }
            switch (known) {
                case NAT_T_RFC3947 -> rfc = true;
                case NAT_T_DRAFT_02, NAT_T_DRAFT_02N, NAT_T_DRAFT_03 -> draft = true;
                case DPD -> sa.peerDpd = true;
                default -> {
                }
            }
            if (!debug) {
                continue;
            }
            // An SA with no exchange yet is the stateless MM2's probe: Main Mode.
            boolean mainMode = sa.phase1 == null || sa.phase1.exchangeType() == ExchangeType.IDENTITY_PROTECTION;
            if (known == KnownVendorId.CISCO_UNITY && mainMode) {
                // Unity in Main Mode comes from a router (IOS, or vpnrouter as a spoke); a VPN client uses
                // Aggressive Mode and its Unity is just "vendor ID is Unity".
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": speaking to another IOS box!");
            } else {
                engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": vendor ID is " + known.iosName());
            }
        }
        if (rfc || draft) {
            sa.peerNatT = true;
            sa.peerNatTDraft = !rfc;
        }
    }

    // ------------------------------------------------------------------ NAT-D (RFC 3947)

    /**
     * NAT-D payloads: the hash of the peer's address/port first, then ours. When UDP encapsulation is forced, ours
     * hashes port 0 instead, a hash that cannot match: the peer then sees us behind a NAT (RFC 3947 allows faking).
     */
    static List<Payload> natD(IkeSa sa, HashAlgorithm hash) {
        byte[] ci = sa.initiatorCookieBytes();
        byte[] cr = sa.responderCookieBytes();
        return List.of(
                new NatDPayload(NatDetection.hash(hash, ci, cr, sa.peerAddress, sa.peerPort), sa.peerNatTDraft),
                new NatDPayload(NatDetection.hash(hash, ci, cr, sa.localAddress,
                        sa.forceUdpEncapsulation ? 0 : sa.localPort), sa.peerNatTDraft));
    }

    /** Compares the peer's NAT-D payloads with the addresses we see: who is behind a NAT. */
    static void checkNatD(IkeEngine engine, IkeSa sa, PayloadChain chain, HashAlgorithm hash) {
        List<NatDPayload> natd = chain.all(NatDPayload.class);
        if (natd.size() < 2) {
            return;
        }
        byte[] ci = sa.initiatorCookieBytes();
        byte[] cr = sa.responderCookieBytes();
        byte[] me = NatDetection.hash(hash, ci, cr, sa.localAddress, sa.localPort);
        byte[] them = NatDetection.hash(hash, ci, cr, sa.peerAddress, sa.peerPort);
        sa.natLocal = !Arrays.equals(natd.getFirst().hash(), me);
        boolean peerMatched = false;
        for (int i = 1; i < natd.size(); i++) {
            peerMatched |= Arrays.equals(natd.get(i).hash(), them);
        }
        sa.natPeer = !peerMatched;
        // IOS's debug prints none of this: what was found shows in the SA's state (show crypto isakmp sa detail's
        // N capability, UDP-Encaps in show crypto ipsec sa).
        if (sa.forceUdpEncapsulation && !sa.natDetected()) {
            sa.natLocal = true;
        }
    }

    /**
     * A phase-1 RESPONDER-LIFETIME notify (protocol ISAKMP, the cookies as SPI): the lifetime we keep when it is
     * shorter than the one the peer proposed, as IOS sends it after Aggressive Mode.
     */
    static NotifyPayload responderLifetime(IkeSa sa) {
        byte[] pair = IsakmpHeader.of(sa.initiatorCookie, sa.responderCookie, 0, 0, 0).cookiePair();
        return responderLifetime(ProtocolId.ISAKMP, pair, List.of(
                DataAttribute.tv(Phase1Attribute.LIFE_TYPE, Phase1Attribute.LifeType.SECONDS),
                DataAttribute.number(Phase1Attribute.LIFE_DURATION, sa.lifetimeSeconds)));
    }

    /** A RESPONDER-LIFETIME notify (RFC 2407 4.6.3.1) of either phase: its data is the attributes alone. */
    static NotifyPayload responderLifetime(int protocol, byte[] spi, List<DataAttribute> attrs) {
        byte[] body = IsakmpCodec.encodeBody(new dev.vpnrouter.ike.wire.AttributePayload(0, 0, attrs));
        // An attribute payload's body starts with type, reserved and identifier: the notify carries the attributes.
        return NotifyPayload.of(protocol, NotifyType.RESPONDER_LIFETIME, spi, Arrays.copyOfRange(body, 4, body.length));
    }

    // ------------------------------------------------------------------ identity and keys

    /** IOS's dump of an ID payload, received or sent: "ID payload", then its fields, one a line. */
    static void idPayloadDebug(IkeEngine engine, IkeSa sa, int nextPayload, IdPayload id) {
        if (!engine.debug()) {
            return;
        }
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": ID payload");
        engine.debug(DebugCategory.ISAKMP, "\tnext-payload : " + nextPayload);
        engine.debug(DebugCategory.ISAKMP, "\ttype         : " + id.idType());
        engine.debug(DebugCategory.ISAKMP, (id.idType() == IdType.KEY_ID ? "\tgroup id     : " : "\taddress      : ")
                + id.describe());
        engine.debug(DebugCategory.ISAKMP, "\tprotocol     : " + id.protocolId());
        engine.debug(DebugCategory.ISAKMP, "\tport         : " + id.port());
        engine.debug(DebugCategory.ISAKMP, "\tlength       : " + idLength(id));
    }

    /** An ID payload's length on the wire: generic header, ID header and data. */
    static int idLength(IdPayload id) {
        return id.data().length + 8;
    }

    /** The ID we send, as IOS prints it before the HASH that covers it. */
    static void ourIdDebug(IkeEngine engine, IkeSa sa, int nextPayload, IdPayload ours) {
        idPayloadDebug(engine, sa, nextPayload, ours);
        engine.debug(DebugCategory.ISAKMP, "ISAKMP (" + sa.connId + "): Total payload length: " + idLength(ours));
    }

    /** {@code crypto isakmp identity address}: our address, protocol UDP, port 500, as IOS sends it. */
    static IdPayload localIdentity(IkeSa sa) {
        return IdPayload.ipv4(sa.localAddress, 17, Datagram.IKE_PORT);
    }

    /** The body of an ID payload (RFC 2409: IDii_b / IDir_b hash input). */
    static byte[] idBody(IdPayload id) {
        return IsakmpCodec.encodeBody(id);
    }

    /** What {@code show crypto isakmp sa detail} and the profile match call the peer. */
    static String identityText(IdPayload id) {
        return id.describe();
    }
}
