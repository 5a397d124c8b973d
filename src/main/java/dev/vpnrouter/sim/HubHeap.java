package dev.vpnrouter.sim;

import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;

import java.util.List;

/**
 * Heap the lab's hub holds per established tunnel (ISAKMP SA + IPsec SA pair, in the engine and the data plane).
 * The spokes live in the same JVM, so the hub's share is measured by difference: used heap after a full GC with every
 * tunnel up, then again after the hub has forgotten all of them (its engine shut down with its effects applied to
 * its own data plane only; no Delete reaches the simulated network, so the spokes keep theirs). The tables that
 * do not shrink (hash tables sized for N) stay in both figures, so this slightly understates the cost: a few bytes
 * per tunnel per table.
 *
 * <p>Destructive: the hub is empty afterwards. The lab runs it last, and only with {@link #MIN_SPOKES} or more, where
 * the per-tunnel figure rises above the noise of one GC.
 */
public final class HubHeap {
    /** The bound issue 14 sets: 8 KiB of hub heap per established tunnel. */
    public static final long MAX_BYTES_PER_TUNNEL = 8 * 1024;
    /** Below this many tunnels the difference is lost in the noise of a GC. */
    public static final int MIN_SPOKES = 1_000;

    /** What was measured. */
    public record Measurement(int tunnels, long withTunnels, long withoutTunnels) {
        public double bytesPerTunnel() {
            return tunnels == 0 ? 0 : (withTunnels - withoutTunnels) / (double) tunnels;
        }

        public boolean withinBound() {
            return bytesPerTunnel() <= MAX_BYTES_PER_TUNNEL;
        }
    }

    private HubHeap() {
    }

    /** Measures, then empties, {@code hub}: see the class comment. {@code now} is the lab's virtual time. */
    public static Measurement measure(SimLanRouter hub, long now) {
        IkeEngine engine = hub.engine();
        int tunnels = engine.childSas().size();
        long with = usedHeapAfterGc();
        engine.shutdown(now);
        List<IkeEffect> effects = engine.drain();
        for (IkeEffect e : effects) {
            if (e instanceof IkeEffect.DeleteChild) {
                hub.dataPlane().apply(e, now);
            }
        }
        effects = null; // the Deletes the hub would have sent go with it
        long without = usedHeapAfterGc();
        return new Measurement(tunnels, with, without);
    }

    /** Used heap after GCs until it stops falling (at most five). */
    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
