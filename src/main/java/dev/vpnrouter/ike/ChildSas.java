package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.cfg.CryptoMapDecision;
import dev.vpnrouter.ike.cfg.TrafficSelector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IPsec SA pairs of one engine and who owns them: our inbound SPIs, the pairs by inbound SPI and their count per
 * peer ({@link dev.vpnrouter.ike.cfg.PeerLimits#ipsecSasPerPeer}), which ISAKMP SA holds each (its
 * {@link IkeSa#children}), the heir that takes them when that SA ends, and the orphans no SA holds, which live until
 * they expire. Installing and deleting a pair (the data plane's effects, the IOS debug lines, zeroed KEYMAT) happen
 * here only.
 */
final class ChildSas {
    private final IkeEngine engine;
    private final Set<Integer> inboundSpis = new HashSet<>();
    private final Map<Integer, ChildSa> byInboundSpi = new HashMap<>();
    /** The remote networks of installed pairs, by peer: what another peer may not claim. */
    private final HeldNetworks held = new HeldNetworks();
    /** Installed pairs by peer address and the SPI the peer chose (its inbound, our outbound). */
    private final Map<Long, ChildSa> byPeerSpi = new HashMap<>();
    private final Map<Integer, Integer> countByPeer = new HashMap<>();
    /** Pairs whose ISAKMP SA is gone with no heir (RFC 2409 does not tie them to it). */
    private final List<ChildSa> orphans = new ArrayList<>();
    private long nextId = 1;

    ChildSas(IkeEngine engine) {
        this.engine = engine;
    }

    int allocateSpi() {
        int spi;
        do {
            spi = engine.random.nextInt();
        } while (Integer.compareUnsigned(spi, 256) < 0 || !inboundSpis.add(spi));
        return spi;
    }

    void releaseSpi(int spi) {
        inboundSpis.remove(spi);
    }

    long nextId() {
        return nextId++;
    }

    /** IPsec SA pairs with this peer address. */
    int countWith(int peerAddress) {
        return countByPeer.getOrDefault(peerAddress, 0);
    }

    boolean installed(int inboundSpi) {
        return byInboundSpi.containsKey(inboundSpi);
    }

    /** Every pair an ISAKMP SA holds, SA by SA. */
    /** The installed pair with {@code peer} whose outbound SPI (the peer's choice) is {@code spi}, or null. */
    ChildSa withPeerSpi(int peer, int spi) {
        return byPeerSpi.get(peerSpi(peer, spi));
    }

    private static long peerSpi(int peer, int spi) {
        return (long) peer << 32 | (spi & 0xffffffffL);
    }

    List<ChildSa> all() {
        List<ChildSa> out = new ArrayList<>();
        for (IkeSa sa : engine.allSas()) {
            out.addAll(sa.children);
        }
        return out;
    }

    List<ChildSa> orphans() {
        return Collections.unmodifiableList(orphans);
    }

    boolean orphanWith(int peerAddress) {
        for (ChildSa c : orphans) {
            if (c.peerAddress() == peerAddress) {
                return true;
            }
        }
        return false;
    }

    /** When the first orphan expires, or {@link Long#MAX_VALUE}. */
    long nextOrphanExpiry() {
        long t = Long.MAX_VALUE;
        for (ChildSa c : orphans) {
            t = Math.min(t, c.expiresAtMillis());
        }
        return t;
    }

    /** A peer other than {@code peer} whose pairs carry traffic of {@code net}, or 0 (for {@link CryptoMapDecision}). */
    int otherPeerHolding(TrafficSelector net, int peer) {
        return held.otherHolder(net, peer);
    }

    ChildSa byOutboundSpi(IkeSa sa, int spi) {
        for (ChildSa c : sa.children) {
            if (c.outboundSpi() == spi) {
                return c;
            }
        }
        return null;
    }

    void install(IkeSa sa, ChildSa child) {
        sa.children.add(child);
        byInboundSpi.put(child.inboundSpi(), child);
        byPeerSpi.put(peerSpi(child.peerAddress(), child.outboundSpi()), child);
        held.add(child.remote(), child.peerAddress());
        countByPeer.merge(child.peerAddress(), 1, Integer::sum);
        engine.counters.phase2Completed++;
        engine.effect(new IkeEffect.InstallChild(child));
        if (engine.debug()) {
            IpsecDebug.installed(engine, child);
        }
    }

    /** Removes a pair from its ISAKMP SA, optionally telling the peer with a Delete. */
    void delete(IkeSa sa, ChildSa child, String reason, boolean notifyPeer, long now) {
        if (!sa.children.remove(child)) {
            return;
        }
        SessionAccounting.childDeleted(sa, child);
        forget(child, reason);
        zeroKeys(child);
        engine.debug(DebugCategory.IPSEC, "IPSEC(delete_sa): deleting SA, (sa) sa_dest= "
                + Ipv4.format(child.peerAddress()) + ", sa_spi= 0x"
                + Integer.toHexString(child.outboundSpi()).toUpperCase() + " (" + reason + ")");
        if (notifyPeer && sa.established()) {
            Informational.sendDeleteChild(engine, sa, child, now);
        }
    }

    /**
     * {@code sa} is going: SPIs its unfinished Quick Modes took go back, and its pairs go too when the peer is gone
     * ({@code peerGone}); otherwise {@code heir} takes them for Deletes and rekeys, or they become orphans.
     */
    void ownerRemoved(IkeSa sa, IkeSa heir, boolean peerGone, String reason, long now) {
        for (QuickModeExchange qm : sa.quickModes.values()) {
            if (qm.inFlight() && qm.inboundSpi() != 0 && !installed(qm.inboundSpi())) {
                releaseSpi(qm.inboundSpi());
            }
        }
        if (peerGone) {
            for (ChildSa c : new ArrayList<>(sa.children)) {
                delete(sa, c, reason, false, now);
            }
        } else if (!sa.children.isEmpty()) {
            if (heir != null) {
                heir.children.addAll(sa.children);
            } else {
                orphans.addAll(sa.children);
            }
            sa.children.clear();
        }
    }

    /**
     * The SA that takes {@code old}'s pairs when it ends: for a VPN client (either side) only the SA renewing it, as
     * clients behind one NAT share an address; otherwise another established SA with the same peer (address, and
     * port behind a NAT). Null when there is none.
     */
    IkeSa heirOf(IkeSa old) {
        if (old.ra != null || old.vpnClient != null) {
            return IkeSa.live(old.renewedBy);
        }
        IkeSa heir = null;
        for (IkeSa sa : engine.allSas()) {
            if (sa != old && sa.established() && sa.ra == null && sa.vpnClient == null
                    && samePeer(old.peerAddress, old.peerPort, old.natPeer, sa)) {
                heir = sa;
            }
        }
        return heir;
    }

    /** Orphans that reached their lifetime go (no ISAKMP SA's timer covers them). */
    void expireOrphans(long now) {
        orphans.removeIf(c -> {
            if (c.expiresAtMillis() <= now) {
                forget(c, "lifetime expired");
                zeroKeys(c);
                return true;
            }
            return false;
        });
    }

    /** Orphans of one peer (0: all) go without a Delete: no ISAKMP SA is left to send one on. Returns how many. */
    int dropOrphans(int peerAddress, String reason) {
        int before = orphans.size();
        orphans.removeIf(c -> {
            if (peerAddress == 0 || c.peerAddress() == peerAddress) {
                forget(c, reason);
                return true;
            }
            return false;
        });
        return before - orphans.size();
    }

    /** INITIAL-CONTACT from {@code fresh}'s peer: its orphans are stale. */
    void dropOrphansOf(IkeSa fresh) {
        orphans.removeIf(c -> {
            if (samePeer(c.peerAddress(), c.peerPort(), c.udpEncapsulated(), fresh)) {
                forget(c, "INITIAL-CONTACT");
                zeroKeys(c);
                return true;
            }
            return false;
        });
    }

    /** The same peer as {@code fresh}: the address, and behind a NAT the port too (as IOS: "remote port"). */
    static boolean samePeer(int address, int port, boolean natted, IkeSa fresh) {
        return address == fresh.peerAddress && (!(natted || fresh.natPeer) || port == fresh.peerPort);
    }

    /** The engine lets go of a pair: its SPI, its count, and the data plane is told. */
    private void forget(ChildSa child, String reason) {
        if (byInboundSpi.remove(child.inboundSpi()) != null) {
            countByPeer.computeIfPresent(child.peerAddress(), (k, n) -> n == 1 ? null : n - 1);
            byPeerSpi.remove(peerSpi(child.peerAddress(), child.outboundSpi()), child);
            held.remove(child.remote(), child.peerAddress());
        }
        releaseSpi(child.inboundSpi());
        engine.effect(new IkeEffect.DeleteChild(child, reason));
    }

    /** The pair is gone from the engine: zero its KEYMAT (the data plane holds its own cipher state). */
    private static void zeroKeys(ChildSa child) {
        Arrays.fill(child.inboundKeys(), (byte) 0);
        Arrays.fill(child.outboundKeys(), (byte) 0);
    }
}
