package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.dataplane.SaCounters;
import dev.vpnrouter.dataplane.SaStatus;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.ike.wire.TransformId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code show crypto isakmp sa [detail]} and {@code show crypto ipsec sa} in the layout IOS 12.3 prints (the
 * seed's samples): pure functions from the engine's views and the data plane's counters to text.
 */
public final class CryptoShow {
    private CryptoShow() {
    }

    /** {@code show crypto isakmp sa detail}. */
    public static String isakmpSaDetail(Collection<? extends IkeSaView> sas, long nowMillis) {
        StringBuilder sb = new StringBuilder();
        sb.append("Codes: C - IKE configuration mode, D - Dead Peer Detection\n");
        sb.append("       K - Keepalives, N - NAT-traversal\n");
        sb.append("       X - IKE Extended Authentication\n");
        sb.append("       psk - Preshared key, rsig - RSA signature\n");
        sb.append("       renc - RSA encryption\n\n");
        sb.append(String.format("%-5s %-15s %-15s %-8s %-4s %-4s %-4s %-2s %-8s %s%n", "C-id", "Local", "Remote",
                "I-VRF", "Encr", "Hash", "Auth", "DH", "Lifetime", "Cap."));
        for (IkeSaView sa : sorted(sas)) {
            if (!sa.established()) {
                continue;
            }
            sb.append(String.format("%-5d %-15s %-15s %-8s %-4s %-4s %-4s %-2d %-8s %s", sa.connId(),
                    Ipv4.format(sa.localAddress()), Ipv4.format(sa.peerAddress()), "", sa.encryption(), sa.hash(),
                    sa.authentication(), sa.dhGroup(), hms(sa.remainingSeconds(nowMillis)), sa.capabilities())
                    .stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** {@code show crypto isakmp sa}: the short form with state. */
    public static String isakmpSa(Collection<? extends IkeSaView> sas) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-15s %-15s %-13s %-7s %s%n", "dst", "src", "state", "conn-id", "slot"));
        for (IkeSaView sa : sorted(sas)) {
            int dst = sa.initiator() ? sa.peerAddress() : sa.localAddress();
            int src = sa.initiator() ? sa.localAddress() : sa.peerAddress();
            sb.append(String.format("%-15s %-15s %-13s %7d %4d", Ipv4.format(dst), Ipv4.format(src), sa.iosState(),
                    sa.connId(), 0).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static List<? extends IkeSaView> sorted(Collection<? extends IkeSaView> sas) {
        List<? extends IkeSaView> list = new ArrayList<>(sas);
        list.sort(Comparator.comparingInt(IkeSaView::connId));
        return list;
    }

    static String hms(long seconds) {
        return String.format("%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }

    /**
     * {@code show crypto ipsec sa}: one block per interface carrying the map, then one per selector pair, newest SA
     * pair of each flow as the current outbound SPI.
     *
     * @param status the data plane's view of each SA pair (counters, kilobytes used, current peer port); null when
     *     the data plane does not hold it
     */
    public static String ipsecSa(String interfaceName, String mapTag, int localAddress, List<ChildSa> children,
            Function<ChildSa, SaStatus> status, long nowMillis) {
        return ipsecSa(interfaceName, mapTag, localAddress, children, status, nowMillis, false);
    }

    /**
     * As {@link #ipsecSa(String, String, int, List, Function, long)}; {@code detail} adds the error counters of
     * {@code show crypto ipsec sa detail} (replay, verify and proxy identity failures).
     */
    public static String ipsecSa(String interfaceName, String mapTag, int localAddress, List<ChildSa> children,
            Function<ChildSa, SaStatus> status, long nowMillis, boolean detail) {
        StringBuilder sb = new StringBuilder();
        sb.append("\ninterface: ").append(interfaceName).append('\n');
        sb.append("    Crypto map tag: ").append(mapTag).append(", local addr. ").append(Ipv4.format(localAddress))
                .append("\n");
        Map<String, List<ChildSa>> flows = new LinkedHashMap<>();
        List<ChildSa> ordered = new ArrayList<>(children);
        ordered.sort(Comparator.comparingLong(ChildSa::id));
        for (ChildSa c : ordered) {
            flows.computeIfAbsent(c.local().ios() + "|" + c.remote().ios() + "|" + c.peerAddress(),
                    k -> new ArrayList<>()).add(c);
        }
        for (List<ChildSa> flow : flows.values()) {
            ChildSa current = flow.getLast();
            SaCounters total = SaCounters.ZERO;
            for (ChildSa c : flow) {
                SaStatus s = status.apply(c);
                total = s == null ? total : total.plus(s.counters());
            }
            SaStatus currentStatus = status.apply(current);
            int peerPort = currentStatus != null && currentStatus.peerPort() != 0 ? currentStatus.peerPort()
                    : current.udpEncapsulated() ? current.peerPort() : 500;
            sb.append("\n   protected vrf: \n");
            sb.append("   local  ident (addr/mask/prot/port): (").append(current.local().ios()).append(")\n");
            sb.append("   remote ident (addr/mask/prot/port): (").append(current.remote().ios()).append(")\n");
            sb.append("   current_peer: ").append(Ipv4.format(current.peerAddress())).append(':').append(peerPort)
                    .append('\n');
            // A static entry's SAs come from its ACL (IOS: origin_is_acl); a dynamic entry's from the peer's proposal.
            boolean fromAcl = current.policy() != null && !current.policy().dynamic();
            sb.append("     PERMIT, flags={").append(fromAcl ? "origin_is_acl," : "").append("}\n");
            sb.append("    #pkts encaps: ").append(total.pktsEncaps()).append(", #pkts encrypt: ")
                    .append(total.pktsEncrypt()).append(", #pkts digest ").append(total.pktsDigest()).append('\n');
            sb.append("    #pkts decaps: ").append(total.pktsDecaps()).append(", #pkts decrypt: ")
                    .append(total.pktsDecrypt()).append(", #pkts verify ").append(total.pktsVerify()).append('\n');
            sb.append("    #pkts compressed: 0, #pkts decompressed: 0\n");
            sb.append("    #pkts not compressed: 0, #pkts compr. failed: 0\n");
            sb.append("    #pkts not decompressed: 0, #pkts decompress failed: 0\n");
            sb.append("    #send errors ").append(total.sendErrors()).append(", #recv errors ")
                    .append(total.recvErrors()).append("\n");
            if (detail) {
                sb.append("    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0\n");
                sb.append("    #pkts encaps failed (send) ").append(total.sendErrors())
                        .append(", #pkts decaps failed (rcv) 0\n");
                sb.append("    #pkts invalid prot (recv) 0, #pkts verify failed: ").append(total.verifyFailures())
                        .append('\n');
                sb.append("    #pkts invalid identity (recv) ").append(total.invalidIdentity())
                        .append(", #pkts invalid len (rcv) 0\n");
                sb.append("    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0\n");
                sb.append("    ##pkts replay failed (rcv): ").append(total.replayFailures()).append('\n');
                sb.append("    #pkts internal err (send): 0, #pkts internal err (recv) 0\n");
            }
            sb.append('\n');
            sb.append("     local crypto endpt.: ").append(Ipv4.format(current.localAddress()))
                    .append(", remote crypto endpt.: ").append(Ipv4.format(current.peerAddress())).append('\n');
            sb.append("     path mtu 1500, ip mtu 1500\n");
            sb.append("     current outbound spi: ").append(Integer.toHexString(current.outboundSpi()).toUpperCase())
                    .append("\n\n");
            sb.append("     inbound esp sas:\n");
            for (ChildSa c : flow) {
                SaStatus st = status.apply(c);
                sa(sb, c, c.inboundSpi(), c.inboundConnId(), st == null ? 0 : st.kilobytesIn(), nowMillis, mapTag);
            }
            sb.append("\n     inbound ah sas:\n\n     inbound pcp sas:\n\n     outbound esp sas:\n");
            for (ChildSa c : flow) {
                SaStatus st = status.apply(c);
                sa(sb, c, c.outboundSpi(), c.outboundConnId(), st == null ? 0 : st.kilobytesOut(), nowMillis,
                        mapTag);
            }
            sb.append("\n     outbound ah sas:\n\n     outbound pcp sas:\n");
        }
        return sb.toString();
    }

    private static void sa(StringBuilder sb, ChildSa c, int spi, int connId, long usedKb, long nowMillis,
            String mapTag) {
        long remainingKb = Math.max(0, c.lifetimeKilobytes() - usedKb);
        long remainingSec = Math.max(0, (c.expiresAtMillis() - nowMillis) / 1000);
        int ivSize = switch (c.transform().espTransformId()) {
            case TransformId.Esp.ESP_DES, TransformId.Esp.ESP_3DES, TransformId.Esp.ESP_AES_GCM_8,
                 TransformId.Esp.ESP_AES_GCM_12, TransformId.Esp.ESP_AES_GCM_16 -> 8;
            case TransformId.Esp.ESP_NULL -> 0;
            default -> 16;
        };
        sb.append("      spi: 0x").append(Integer.toHexString(spi).toUpperCase()).append('(')
                .append(Integer.toUnsignedString(spi)).append(")\n");
        sb.append("        transform: ").append(c.transform().iosTransform()).append(" ,\n");
        sb.append("        in use settings = {").append(c.transform().tunnel() ? "Tunnel" : "Transport")
                .append(c.udpEncapsulated() ? " UDP-Encaps" : "").append(", }\n");
        sb.append("        slot: 0, conn id: ").append(connId).append(", flow_id: ").append(ChildSa.flowId(connId))
                .append(", crypto map: ").append(mapTag).append('\n');
        if (c.lifetimeKilobytes() > 0) {
            sb.append("        sa timing: remaining key lifetime (k/sec): (").append(remainingKb).append('/')
                    .append(remainingSec).append(")\n");
        } else { // no volume lifetime (lifetime kilobytes disable)
            sb.append("        sa timing: remaining key lifetime (sec): (").append(remainingSec).append(")\n");
        }
        sb.append("        IV size: ").append(ivSize).append(" bytes\n");
        sb.append("        replay detection support: ").append(c.transform().hasIntegrity() ? "Y" : "N").append('\n');
    }

    /**
     * {@code show crypto ipsec sa address}: every SA by its destination address (ours for inbound SAs, the
     * peer's for outbound), addresses in ascending order.
     */
    public static String ipsecSaAddress(List<ChildSa> children, Function<ChildSa, SaStatus> status,
            long nowMillis) {
        record Row(int dest, ChildSa child, int spi, int connId, long usedKb) {
        }
        List<Row> rows = new ArrayList<>();
        for (ChildSa c : children) {
            SaStatus st = status.apply(c);
            rows.add(new Row(c.localAddress(), c, c.inboundSpi(), c.inboundConnId(), st == null ? 0 : st.kilobytesIn()));
            rows.add(new Row(c.peerAddress(), c, c.outboundSpi(), c.outboundConnId(),
                    st == null ? 0 : st.kilobytesOut()));
        }
        rows.sort(Comparator.comparing((Row r) -> Integer.toUnsignedLong(r.dest())).thenComparingInt(Row::connId));
        StringBuilder sb = new StringBuilder();
        Integer current = null;
        for (Row r : rows) {
            if (current == null || current != r.dest()) {
                current = r.dest();
                sb.append("\ndest address: ").append(Ipv4.format(r.dest())).append('\n');
                sb.append("   protocol: ESP\n");
            } else {
                sb.append('\n');
            }
            sa(sb, r.child(), r.spi(), r.connId(), r.usedKb(), nowMillis, r.child().policy() == null ? ""
                    : r.child().policy().mapName());
        }
        return sb.toString();
    }

    /** {@code show ip interface NAME} for an interface with no IP settings beyond its address. */
    public static String ipInterface(String name, boolean up, int address, int mask, boolean dhcp) {
        return ipInterface(name, up, address, mask, dhcp, List.of());
    }

    /**
     * {@code show ip interface NAME}, IOS 12.3's whole listing: the address lines the seed shows for the DHCP spoke,
     * then MTU, helper, access lists, proxy ARP, ICMP, switching paths (CEF) and the features, each from the
     * interface's configured lines ({@code settings}) or IOS's default.
     */
    public static String ipInterface(String name, boolean up, int address, int mask, boolean dhcp,
            List<String> settings) {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" is ").append(up ? "up" : "administratively down").append(", line protocol is ")
                .append(up ? "up" : "down").append('\n');
        sb.append("  Internet address is ").append(Ipv4.format(address)).append('/').append(Ipv4.prefixLength(mask))
                .append('\n');
        sb.append("  Broadcast address is 255.255.255.255\n");
        if (dhcp) {
            sb.append("  Address determined by DHCP\n");
        } else {
            sb.append("  Address determined by non-volatile memory\n");
        }
        sb.append("  MTU is ").append(setting(settings, "ip mtu ", "1500")).append(" bytes\n");
        sb.append("  Helper address is ").append(setting(settings, "ip helper-address ", "not set")).append('\n');
        sb.append("  Directed broadcast forwarding is ")
                .append(settings.contains("ip directed-broadcast") ? "enabled" : "disabled").append('\n');
        sb.append("  Outgoing access list is ").append(accessGroup(settings, "out")).append('\n');
        sb.append("  Inbound  access list is ").append(accessGroup(settings, "in")).append('\n');
        sb.append("  Proxy ARP is ").append(settings.contains("no ip proxy-arp") ? "disabled" : "enabled")
                .append('\n');
        sb.append("  Local Proxy ARP is disabled\n");
        sb.append("  Security level is default\n");
        sb.append("  Split horizon is enabled\n");
        sb.append("  ICMP redirects are ").append(settings.contains("no ip redirects") ? "never" : "always")
                .append(" sent\n");
        sb.append("  ICMP unreachables are ").append(settings.contains("no ip unreachables") ? "never" : "always")
                .append(" sent\n");
        sb.append("  ICMP mask replies are never sent\n");
        sb.append("  IP fast switching is enabled\n");
        sb.append("  IP fast switching on the same interface is disabled\n");
        sb.append("  IP Flow switching is disabled\n");
        sb.append("  IP CEF switching is enabled\n");
        sb.append("  IP CEF Fast switching turbo vector\n");
        sb.append("  IP multicast fast switching is enabled\n");
        sb.append("  IP multicast distributed fast switching is disabled\n");
        sb.append("  IP route-cache flags are Fast, CEF\n");
        sb.append("  Router Discovery is disabled\n");
        sb.append("  IP output packet accounting is disabled\n");
        sb.append("  IP access violation accounting is disabled\n");
        sb.append("  TCP/IP header compression is disabled\n");
        sb.append("  RTP/IP header compression is disabled\n");
        sb.append("  Policy routing is disabled\n");
        String nat = setting(settings, "ip nat ", null);
        sb.append("  Network address translation is ").append(nat == null ? "disabled"
                : "enabled, interface in domain " + nat).append('\n');
        sb.append("  WCCP Redirect outbound is disabled\n");
        sb.append("  WCCP Redirect inbound is disabled\n");
        sb.append("  WCCP Redirect exclude is disabled\n");
        sb.append("  BGP Policy Mapping is disabled\n");
        return sb.toString();
    }

    /** The value of the first configured line starting with {@code prefix}, else {@code otherwise}. */
    private static String setting(List<String> settings, String prefix, String otherwise) {
        return settings.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
                .findFirst().orElse(otherwise);
    }

    private static String accessGroup(List<String> settings, String direction) {
        return settings.stream().filter(l -> l.startsWith("ip access-group ") && l.endsWith(" " + direction))
                .map(l -> l.split("\\s+")[2]).findFirst().orElse("not set");
    }
}
