package dev.vpnrouter.ike;

import java.util.ArrayList;
import java.util.List;

/**
 * The operator's {@code clear crypto ...} commands and shutdown: which SAs go, each with a Delete to its peer, and
 * client SAs giving their pool address back ({@link IkeEngine#remove}).
 */
final class ClearCommands {
    private static final String CLEARED = "cleared by operator";

    private final IkeEngine engine;

    ClearCommands(IkeEngine engine) {
        this.engine = engine;
    }

    /** {@code clear crypto isakmp}: every ISAKMP SA. */
    void isakmp(long now) {
        all(RemovalCause.CLEARED, now);
    }

    /** Every ISAKMP SA, for {@code why} (the operator's clear, or the router stopping). */
    void all(RemovalCause why, long now) {
        for (IkeSa sa : new ArrayList<>(engine.allSas())) {
            engine.remove(sa, why, true, now);
        }
    }

    /** {@code clear crypto isakmp CONN-ID}: false when no SA has that C-id. */
    boolean isakmp(IkeSa sa, long now) {
        if (sa == null) {
            return false;
        }
        engine.remove(sa, RemovalCause.CLEARED, true, now);
        return true;
    }

    /** {@code clear crypto sa [peer A]}: the IPsec SA pairs with that peer (0: every peer). Returns how many. */
    int ipsec(int peerAddress, long now) {
        int pairs = 0;
        for (IkeSa sa : sasOf(peerAddress)) {
            pairs += deleteChildren(sa, now);
        }
        return pairs + engine.children.dropOrphans(peerAddress, CLEARED);
    }

    /**
     * {@code clear crypto session [remote A]}: the IPsec SA pairs and the ISAKMP SAs of one peer (0: every peer).
     * Returns the ISAKMP SAs removed.
     */
    int session(int peerAddress, long now) {
        List<IkeSa> sas = sasOf(peerAddress);
        for (IkeSa sa : sas) {
            deleteChildren(sa, now);
            engine.remove(sa, RemovalCause.CLEARED, true, now);
        }
        engine.children.dropOrphans(peerAddress, CLEARED);
        return sas.size();
    }

    /** The ISAKMP SAs with that peer (0: every peer), copied: clearing changes the table. */
    private List<IkeSa> sasOf(int peerAddress) {
        List<IkeSa> sas = new ArrayList<>();
        for (IkeSa sa : engine.allSas()) {
            if (peerAddress == 0 || sa.peerAddress == peerAddress) {
                sas.add(sa);
            }
        }
        return sas;
    }

    /** Deletes the SA's IPsec SA pairs, each with a Delete to the peer. Returns how many. */
    private int deleteChildren(IkeSa sa, long now) {
        List<ChildSa> children = new ArrayList<>(sa.children);
        for (ChildSa c : children) {
            engine.children.delete(sa, c, CLEARED, true, now);
        }
        return children.size();
    }
}
