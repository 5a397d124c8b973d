package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.wire.DataAttribute;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.Transform;
import dev.vpnrouter.ike.wire.TransformId;

/**
 * The multi-line IPsec debug blocks IOS 12.3/12.4 prints for phase 2, in one place so the Quick Mode exchanges
 * and {@link ChildSas} word them alike: an offered transform's attributes, the key engine's messages
 * ({@code validate_proposal_request}, {@code initialize_sas}), {@code Creating IPsec SAs} and {@code create_sa}.
 * Callers emit them where the decision is made; these only format.
 */
final class IpsecDebug {
    private IpsecDebug() {
    }

    /** "transform 1, ESP_3DES", "attributes in transform:", then each attribute in the order the peer sent it. */
    static void transform(IkeEngine engine, Transform t) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP: transform " + t.number() + ", " + espName(t.transformId()));
        engine.debug(DebugCategory.ISAKMP, "ISAKMP:   attributes in transform:");
        for (DataAttribute a : t.attributes()) {
            long v = a.unsigned().orElse(-1);
            String line = switch (a.type()) {
                case IpsecAttribute.ENCAPSULATION_MODE -> "encaps is " + v + " (" + switch ((int) v) {
                    case IpsecAttribute.EncapsulationMode.TUNNEL -> "Tunnel";
                    case IpsecAttribute.EncapsulationMode.TRANSPORT -> "Transport";
                    case IpsecAttribute.EncapsulationMode.UDP_TUNNEL,
                         IpsecAttribute.EncapsulationMode.UDP_TUNNEL_DRAFT -> "Tunnel-UDP";
                    default -> "Transport-UDP";
                } + ")";
                case IpsecAttribute.SA_LIFE_TYPE -> v == IpsecAttribute.LifeType.KILOBYTES
                        ? "SA life type in kilobytes" : "SA life type in seconds";
                case IpsecAttribute.SA_LIFE_DURATION -> "SA life duration " + Phase1.lifeDuration(a);
                case IpsecAttribute.AUTHENTICATION_ALGORITHM -> "authenticator is " + switch ((int) v) {
                    case IpsecAttribute.AuthAlgorithm.HMAC_MD5 -> "HMAC-MD5";
                    case IpsecAttribute.AuthAlgorithm.HMAC_SHA -> "HMAC-SHA";
                    case IpsecAttribute.AuthAlgorithm.HMAC_SHA2_256 -> "HMAC-SHA256";
                    default -> IpsecAttribute.AuthAlgorithm.name((int) v);
                };
                case IpsecAttribute.GROUP_DESCRIPTION -> "group " + v;
                case IpsecAttribute.KEY_LENGTH -> "key length is " + v;
                default -> IpsecAttribute.name(a.type()) + " " + v;
            };
            engine.debug(DebugCategory.ISAKMP, "ISAKMP:      " + line);
        }
    }

    static String espName(int id) {
        return switch (id) {
            case TransformId.Esp.ESP_DES -> "ESP_DES";
            case TransformId.Esp.ESP_3DES -> "ESP_3DES";
            case TransformId.Esp.ESP_AES -> "ESP_AES";
            case TransformId.Esp.ESP_NULL -> "ESP_NULL";
            default -> TransformId.Esp.name(id);
        };
    }

    /** The key engine's message as IPsec prints it: "(key eng. msg.) INBOUND local= ..." and its fields. */
    static void keyEngineMessage(IkeEngine engine, String header, boolean inbound, int local, int peer,
            TrafficSelector localProxy, TrafficSelector remoteProxy, EspProposal transform, long seconds,
            long kilobytes, int spi, int connId) {
        engine.debug(DebugCategory.IPSEC, header);
        engine.debug(DebugCategory.IPSEC, "  (key eng. msg.) " + (inbound ? "INBOUND" : "OUTBOUND") + " local= "
                + Ipv4.format(local) + ", remote= " + Ipv4.format(peer) + ",");
        engine.debug(DebugCategory.IPSEC, "    local_proxy= " + localProxy.ios() + " (type=" + localProxy.toId().idType()
                + "),");
        engine.debug(DebugCategory.IPSEC, "    remote_proxy= " + remoteProxy.ios() + " (type="
                + remoteProxy.toId().idType() + "),");
        engine.debug(DebugCategory.IPSEC, "    protocol= ESP, transform= " + transform.iosTransform() + " ("
                + (transform.tunnel() ? "Tunnel" : "Transport") + "),");
        engine.debug(DebugCategory.IPSEC, "    lifedur= " + seconds + "s and " + Math.max(0, kilobytes) + "kb,");
        engine.debug(DebugCategory.IPSEC, "    spi= 0x" + Integer.toHexString(spi).toUpperCase() + "("
                + Integer.toUnsignedString(spi) + "), conn_id= " + connId + ", keysize= " + transform.keyBits()
                + ", flags= " + (inbound ? "0x2" : "0xA"));
    }

    /** "Creating IPsec SAs" and the two SAs of a pair, as ISAKMP hands them to IPsec. */
    static void creatingSas(IkeEngine engine, IkeSa sa, ChildSa c) {
        engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": Creating IPsec SAs");
        String peer = Ipv4.format(c.peerAddress());
        String local = Ipv4.format(c.localAddress());
        String remoteNet = Ipv4.format(c.remote().address());
        String localNet = Ipv4.format(c.local().address());
        engine.debug(DebugCategory.ISAKMP, "        inbound SA from " + peer + " to " + local + " (f/i)  0/ 0");
        engine.debug(DebugCategory.ISAKMP, "        (proxy " + remoteNet + " to " + localNet + ")");
        engine.debug(DebugCategory.ISAKMP, "        has spi 0x" + Integer.toHexString(c.inboundSpi()).toUpperCase()
                + " and conn_id " + c.inboundConnId() + " and flags 2");
        lifetimes(engine, c);
        engine.debug(DebugCategory.ISAKMP, "        outbound SA from " + local + " to " + peer + " (f/i) 0/ 0");
        engine.debug(DebugCategory.ISAKMP, "        (proxy " + localNet + " to " + remoteNet + ")");
        engine.debug(DebugCategory.ISAKMP, "        has spi " + c.outboundSpi() + " and conn_id "
                + c.outboundConnId() + " and flags A");
        lifetimes(engine, c);
    }

    private static void lifetimes(IkeEngine engine, ChildSa c) {
        engine.debug(DebugCategory.ISAKMP, "        lifetime of " + c.lifetimeSeconds() + " seconds");
        if (c.lifetimeKilobytes() > 0) {
            engine.debug(DebugCategory.ISAKMP, "        lifetime of " + c.lifetimeKilobytes() + " kilobytes");
        }
        engine.debug(DebugCategory.ISAKMP, "        has client flags 0x0");
    }

    /** The pair goes to the key engine: both directions initialised, the flow added, each SA created. */
    static void installed(IkeEngine engine, ChildSa c) {
        engine.debug(DebugCategory.IPSEC, "IPSEC(key_engine): got a queue event...");
        keyEngineMessage(engine, "IPSEC(initialize_sas): ,", true, c.localAddress(), c.peerAddress(), c.local(),
                c.remote(), c.transform(), c.lifetimeSeconds(), c.lifetimeKilobytes(), c.inboundSpi(),
                c.inboundConnId());
        keyEngineMessage(engine, "IPSEC(initialize_sas): ,", false, c.localAddress(), c.peerAddress(), c.local(),
                c.remote(), c.transform(), c.lifetimeSeconds(), c.lifetimeKilobytes(), c.outboundSpi(),
                c.outboundConnId());
        keiProxy(engine, c.policy() == null ? "" : c.policy().mapName());
        engine.debug(DebugCategory.IPSEC, "IPSEC(add mtree): src " + Ipv4.format(c.local().address()) + ", dest "
                + Ipv4.format(c.remote().address()) + ", dest_port " + c.remote().port());
        createSa(engine, c.localAddress(), c.inboundSpi(), c.transform(), c.inboundConnId());
        createSa(engine, c.peerAddress(), c.outboundSpi(), c.transform(), c.outboundConnId());
    }

    /** IPsec looks the crypto map up for the proxies, once for each direction. */
    static void keiProxy(IkeEngine engine, String mapName) {
        for (int i = 0; i < 2; i++) {
            engine.debug(DebugCategory.IPSEC, "IPSEC(kei_proxy): head = " + mapName + ", map->ivrf = , kei->ivrf = ");
        }
    }

    private static void createSa(IkeEngine engine, int dest, int spi, EspProposal transform, int connId) {
        engine.debug(DebugCategory.IPSEC, "IPSEC(create_sa): sa created,");
        engine.debug(DebugCategory.IPSEC, "  (sa) sa_dest= " + Ipv4.format(dest) + ", sa_prot= 50,");
        engine.debug(DebugCategory.IPSEC, "    sa_spi= 0x" + Integer.toHexString(spi).toUpperCase() + "("
                + Integer.toUnsignedString(spi) + "),");
        engine.debug(DebugCategory.IPSEC, "    sa_trans= " + transform.iosTransform() + " , sa_conn_id= " + connId);
    }
}
