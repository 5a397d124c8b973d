package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.wire.DataAttribute;
import dev.vpnrouter.ike.wire.Doi;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.NotifyPayload;
import dev.vpnrouter.ike.wire.NotifyType;
import dev.vpnrouter.ike.wire.Proposal;
import dev.vpnrouter.ike.wire.ProtocolId;
import dev.vpnrouter.ike.wire.SaPayload;
import dev.vpnrouter.ike.wire.Transform;
import dev.vpnrouter.ike.wire.TransformId;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** What both sides of Quick Mode share: ESP proposals as SA payloads, their parsing, lifetimes, SPIs. */
final class Phase2 {
    /** IOS defaults: {@code crypto ipsec security-association lifetime seconds 3600 kilobytes 4608000}. */
    static final long DEFAULT_LIFETIME_SECONDS = 3600;
    static final long DEFAULT_LIFETIME_KILOBYTES = 4_608_000;

    private Phase2() {
    }

    static int encapsulationMode(IkeSa sa, boolean tunnel) {
        if (!sa.natDetected()) {
            return tunnel ? IpsecAttribute.EncapsulationMode.TUNNEL : IpsecAttribute.EncapsulationMode.TRANSPORT;
        }
        if (sa.peerNatTDraft) {
            return tunnel ? IpsecAttribute.EncapsulationMode.UDP_TUNNEL_DRAFT
                    : IpsecAttribute.EncapsulationMode.UDP_TRANSPORT_DRAFT;
        }
        return tunnel ? IpsecAttribute.EncapsulationMode.UDP_TUNNEL : IpsecAttribute.EncapsulationMode.UDP_TRANSPORT;
    }

    /**
     * The volume lifetime {@code entry} asks for, in kilobytes: its own, the IOS default when it sets none, or 0 for
     * none at all ({@code lifetime kilobytes disable}).
     */
    static long ourKilobytes(ChildPolicy entry) {
        if (entry.lifetimeKilobytes() == ChildPolicy.NO_VOLUME_LIMIT) {
            return 0;
        }
        return entry.lifetimeKilobytes() > 0 ? entry.lifetimeKilobytes() : DEFAULT_LIFETIME_KILOBYTES;
    }

    /** {@code kilobytes} 0: no volume lifetime attribute (RFC 2407 4.5: without one, the SA has no volume limit). */
    static Transform transform(int number, EspProposal p, long seconds, long kilobytes, int pfsGroup, int encap) {
        List<DataAttribute> a = new ArrayList<>();
        lifetimes(a, seconds, kilobytes);
        if (pfsGroup != 0) {
            a.add(DataAttribute.tv(IpsecAttribute.GROUP_DESCRIPTION, pfsGroup));
        }
        a.add(DataAttribute.tv(IpsecAttribute.ENCAPSULATION_MODE, encap));
        if (p.authAlgorithm() != 0) {
            a.add(DataAttribute.tv(IpsecAttribute.AUTHENTICATION_ALGORITHM, p.authAlgorithm()));
        }
        if (p.keyBits() != 0) {
            a.add(DataAttribute.tv(IpsecAttribute.KEY_LENGTH, p.keyBits()));
        }
        return new Transform(number, p.espTransformId(), a);
    }

    private static void lifetimes(List<DataAttribute> a, long seconds, long kilobytes) {
        a.add(DataAttribute.tv(IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.LifeType.SECONDS));
        a.add(DataAttribute.number(IpsecAttribute.SA_LIFE_DURATION, seconds));
        if (kilobytes > 0) {
            a.add(DataAttribute.tv(IpsecAttribute.SA_LIFE_TYPE, IpsecAttribute.LifeType.KILOBYTES));
            a.add(DataAttribute.tlv(IpsecAttribute.SA_LIFE_DURATION, four(kilobytes)));
        }
    }

    /** IOS sends the kilobyte lifetime as a 4-byte variable attribute ("0x0 0x46 0x50 0x0"). */
    private static byte[] four(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static SaPayload offer(List<EspProposal> proposals, int spi, long seconds, long kilobytes, int pfsGroup,
            int encapTunnel, int encapTransport) {
        List<Transform> transforms = new ArrayList<>();
        int n = 1;
        for (EspProposal p : proposals) {
            transforms.add(transform(n++, p, seconds, kilobytes, pfsGroup, p.tunnel() ? encapTunnel : encapTransport));
        }
        return new SaPayload(Doi.IPSEC, Doi.SIT_IDENTITY_ONLY,
                List.of(new Proposal(1, ProtocolId.IPSEC_ESP, spiBytes(spi), transforms)));
    }

    /**
     * One ESP transform as offered: the suite, its lifetimes ({@link PeerLifetimes#NOT_OFFERED} where it names
     * none) and PFS group.
     */
    record Offered(Transform transform, int espTransformId, int keyBits, int authAlgorithm, int encapMode,
            long seconds, long kilobytes, int group) {
        boolean tunnel() {
            return encapMode == IpsecAttribute.EncapsulationMode.TUNNEL
                    || encapMode == IpsecAttribute.EncapsulationMode.UDP_TUNNEL
                    || encapMode == IpsecAttribute.EncapsulationMode.UDP_TUNNEL_DRAFT;
        }

        boolean matches(EspProposal p) {
            return p.espTransformId() == espTransformId && p.keyBits() == keyBits
                    && p.authAlgorithm() == authAlgorithm && p.tunnel() == tunnel();
        }
    }

    static Offered parse(Transform t) {
        long seconds = PeerLifetimes.NOT_OFFERED;
        long kilobytes = PeerLifetimes.NOT_OFFERED;
        int lifeType = 0;
        int encap = IpsecAttribute.EncapsulationMode.TUNNEL;
        int auth = 0;
        int keyBits = 0;
        int group = 0;
        for (DataAttribute a : t.attributes()) {
            OptionalLong v = a.unsigned();
            if (v.isEmpty()) {
                return null;
            }
            long value = v.getAsLong();
            switch (a.type()) {
                case IpsecAttribute.SA_LIFE_TYPE -> lifeType = (int) value;
                case IpsecAttribute.SA_LIFE_DURATION -> {
                    if (lifeType == IpsecAttribute.LifeType.SECONDS) {
                        seconds = value;
                    } else if (lifeType == IpsecAttribute.LifeType.KILOBYTES) {
                        kilobytes = value;
                    }
                }
                case IpsecAttribute.ENCAPSULATION_MODE -> encap = (int) value;
                case IpsecAttribute.AUTHENTICATION_ALGORITHM -> auth = (int) value;
                case IpsecAttribute.KEY_LENGTH -> keyBits = (int) value;
                case IpsecAttribute.GROUP_DESCRIPTION -> group = (int) value;
                default -> {
                    return null; // an attribute we do not support makes the transform unacceptable
                }
            }
        }
        if (t.transformId() == TransformId.Esp.ESP_AES && keyBits == 0) {
            keyBits = 128; // RFC 3602: peers may omit it for 128
        }
        return new Offered(t, t.transformId(), keyBits, auth, encap, seconds, kilobytes, group);
    }

    /** The attributes of a RESPONDER-LIFETIME notify (RFC 2407 4.6.3.1). */
    static NotifyPayload responderLifetime(byte[] spi, long seconds, long kilobytes) {
        List<DataAttribute> attrs = new ArrayList<>();
        lifetimes(attrs, seconds, kilobytes);
        return Phase1.responderLifetime(ProtocolId.IPSEC_ESP, spi, attrs);
    }

    /**
     * Lifetimes carried by a RESPONDER-LIFETIME notify: {seconds, kilobytes}, {@link PeerLifetimes#NOT_OFFERED}
     * where absent.
     */
    static long[] parseResponderLifetime(byte[] data) {
        long[] out = {PeerLifetimes.NOT_OFFERED, PeerLifetimes.NOT_OFFERED};
        int at = 0;
        int lifeType = 0;
        while (at + 4 <= data.length) {
            int type = ((data[at] & 0x7f) << 8) | (data[at + 1] & 0xff);
            boolean tv = (data[at] & 0x80) != 0;
            int len = tv ? 2 : ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
            int valueAt = tv ? at + 2 : at + 4;
            if (valueAt + len > data.length || len > 8) {
                break;
            }
            long v = 0;
            for (int i = 0; i < len; i++) {
                v = (v << 8) | (data[valueAt + i] & 0xff);
            }
            if (type == IpsecAttribute.SA_LIFE_TYPE) {
                lifeType = (int) v;
            } else if (type == IpsecAttribute.SA_LIFE_DURATION) {
                if (lifeType == IpsecAttribute.LifeType.SECONDS) {
                    out[0] = v;
                } else if (lifeType == IpsecAttribute.LifeType.KILOBYTES) {
                    out[1] = v;
                }
            }
            at = valueAt + len;
        }
        return out;
    }

    /**
     * Why the peer's SPI for a new SA cannot be used, or null: 0..255 are reserved (RFC 4303 2.1), and an SPI the
     * peer already uses for another live SA pair with us would make its Deletes and our ESP ambiguous.
     */
    static String unusableSpi(IkeEngine engine, IkeSa sa, int spi) {
        if (Integer.compareUnsigned(spi, 256) < 0) {
            return "phase 2: peer " + dev.vpnrouter.common.Ipv4.format(sa.peerAddress) + " chose the reserved SPI 0x"
                    + Integer.toHexString(spi);
        }
        ChildSa c = engine.children.withPeerSpi(sa.peerAddress, spi);
        return c == null ? null : "phase 2: peer " + dev.vpnrouter.common.Ipv4.format(sa.peerAddress) + " chose SPI 0x"
                + Integer.toHexString(spi) + ", already in use by SA pair " + c.id();
    }

    static byte[] spiBytes(int spi) {
        return new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    }
}
