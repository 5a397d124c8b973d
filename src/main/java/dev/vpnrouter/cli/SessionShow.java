package dev.vpnrouter.cli;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.dataplane.SaCounters;
import dev.vpnrouter.dataplane.SaStatus;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code show crypto session [detail]} in IOS 12.4's layout: one block per peer with its ISAKMP SAs and IPsec
 * flows; the session is UP-ACTIVE with both, UP-IDLE with phase 1 only, UP-NO-IKE with IPsec SAs only,
 * DOWN-NEGOTIATING while phase 1 runs.
 */
final class SessionShow {
    private SessionShow() {
    }

    private static final class Session {
        final int peer;
        int peerPort;
        final List<IkeSaView> ike = new ArrayList<>();
        final List<ChildSa> children = new ArrayList<>();

        Session(int peer) {
            this.peer = peer;
        }
    }

    static String cryptoSession(String interfaceName, Collection<? extends IkeSaView> sas, List<ChildSa> children,
            Function<ChildSa, SaStatus> status, long nowMillis, boolean detail, int onlyPeer) {
        Map<Integer, Session> sessions = new LinkedHashMap<>();
        List<IkeSaView> ordered = new ArrayList<>(sas);
        ordered.sort(Comparator.comparingInt(IkeSaView::connId));
        for (IkeSaView sa : ordered) {
            Session s = sessions.computeIfAbsent(sa.peerAddress(), Session::new);
            s.ike.add(sa);
            s.peerPort = sa.peerPort();
        }
        List<ChildSa> kids = new ArrayList<>(children);
        kids.sort(Comparator.comparingLong(ChildSa::id));
        for (ChildSa c : kids) {
            Session s = sessions.computeIfAbsent(c.peerAddress(), Session::new);
            s.children.add(c);
            if (s.peerPort == 0) {
                s.peerPort = c.udpEncapsulated() ? c.peerPort() : 500;
            }
        }
        StringBuilder sb = new StringBuilder("Crypto session current status\n\n");
        if (detail) {
            sb.append("Code: C - IKE Configuration mode, D - Dead Peer Detection\n");
            sb.append("K - Keepalives, N - NAT-traversal, X - IKE Extended Authentication\n\n");
        }
        for (Session s : sessions.values()) {
            if (onlyPeer != 0 && s.peer != onlyPeer) {
                continue;
            }
            session(sb, interfaceName, s, status, nowMillis, detail);
        }
        return sb.toString();
    }

    private static void session(StringBuilder sb, String interfaceName, Session s, Function<ChildSa, SaStatus> status,
            long now, boolean detail) {
        sb.append("Interface: ").append(interfaceName).append('\n');
        IkeSaView client = s.ike.stream().filter(sa -> sa.assignedAddress() != 0 && !sa.initiator()).findFirst()
                .orElse(null);
        if (client != null) {
            if (client.xauthUser() != null) {
                sb.append("Username: ").append(client.xauthUser()).append('\n');
            }
            if (client.profile() != null) {
                sb.append("Profile: ").append(client.profile()).append('\n');
            }
            if (client.peerIdentity() != null) {
                sb.append("Group: ").append(client.peerIdentity()).append('\n');
            }
            sb.append("Assigned address: ").append(Ipv4.format(client.assignedAddress())).append('\n');
        }
        boolean ikeUp = s.ike.stream().anyMatch(IkeSaView::established);
        String state = ikeUp && !s.children.isEmpty() ? "UP-ACTIVE" : ikeUp ? "UP-IDLE"
                : !s.children.isEmpty() ? "UP-NO-IKE" : "DOWN-NEGOTIATING";
        sb.append("Session status: ").append(state).append('\n');
        sb.append("Peer: ").append(Ipv4.format(s.peer)).append(" port ").append(s.peerPort);
        if (detail) {
            sb.append(" fvrf: (none) ivrf: (none)\n");
            String id = s.ike.stream().map(IkeSaView::peerIdentity).filter(x -> x != null).findFirst()
                    .orElse(Ipv4.format(s.peer));
            sb.append("      Phase1_id: ").append(id).append('\n');
            sb.append("      Desc: (none)\n");
        } else {
            sb.append('\n');
        }
        for (IkeSaView sa : s.ike) {
            sb.append("  IKE SA: local ").append(Ipv4.format(sa.localAddress())).append('/')
                    .append(sa.peerPort() == 4500 ? 4500 : 500).append(" remote ").append(Ipv4.format(sa.peerAddress()))
                    .append('/').append(sa.peerPort()).append(sa.established() ? " Active" : " Inactive").append('\n');
            if (detail) {
                String caps = sa.capabilities().isEmpty() ? "(none)" : sa.capabilities();
                sb.append("          Capabilities:").append(caps).append(" connid:").append(sa.connId())
                        .append(" lifetime:").append(CryptoShow.hms(sa.remainingSeconds(now))).append('\n');
            }
        }
        Map<String, List<ChildSa>> flows = new LinkedHashMap<>();
        for (ChildSa c : s.children) {
            flows.computeIfAbsent(c.local().ios() + "|" + c.remote().ios(), k -> new ArrayList<>()).add(c);
        }
        for (List<ChildSa> flow : flows.values()) {
            ChildSa current = flow.getLast();
            sb.append("  IPSEC FLOW: permit ").append(protocol(current.local().protocol())).append(' ')
                    .append(selector(current.local())).append(' ').append(selector(current.remote())).append('\n');
            boolean dynamic = current.policy() != null && current.policy().dynamic();
            sb.append("        Active SAs: ").append(2 * flow.size()).append(", origin: ")
                    .append(dynamic ? "dynamic crypto map" : "crypto map").append('\n');
            if (detail) {
                SaCounters total = SaCounters.ZERO;
                for (ChildSa c : flow) {
                    SaStatus st = status.apply(c);
                    total = st == null ? total : total.plus(st.counters());
                }
                SaStatus st = status.apply(current);
                long remainingSec = Math.max(0, (current.expiresAtMillis() - now) / 1000);
                long inKb = Math.max(0, current.lifetimeKilobytes() - (st == null ? 0 : st.kilobytesIn()));
                long outKb = Math.max(0, current.lifetimeKilobytes() - (st == null ? 0 : st.kilobytesOut()));
                boolean volume = current.lifetimeKilobytes() > 0; // none with lifetime kilobytes disable
                sb.append("        Inbound:  #pkts dec'ed ").append(total.pktsDecaps()).append(" drop ")
                        .append(total.recvErrors()).append(life(volume, inKb, remainingSec)).append('\n');
                sb.append("        Outbound: #pkts enc'ed ").append(total.pktsEncaps()).append(" drop ")
                        .append(total.sendErrors()).append(life(volume, outKb, remainingSec)).append('\n');
            }
        }
        sb.append('\n');
    }

    private static String protocol(int p) {
        return p == 0 ? "ip" : String.valueOf(p);
    }

    /** IOS's flow notation: {@code host A} for one address, else {@code A/M}; a port follows as {@code port N}. */
    private static String selector(TrafficSelector t) {
        String base = t.mask() == -1 ? "host " + Ipv4.format(t.address())
                : Ipv4.format(t.address()) + "/" + Ipv4.format(t.mask());
        return t.port() == 0 ? base : base + " port " + t.port();
    }

    private static String life(boolean volume, long kilobytes, long seconds) {
        return volume ? " life (KB/Sec) " + kilobytes + "/" + seconds : " life (Sec) " + seconds;
    }
}
