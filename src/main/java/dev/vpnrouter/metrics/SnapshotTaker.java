package dev.vpnrouter.metrics;

import dev.vpnrouter.dataplane.DataPlane;
import dev.vpnrouter.dataplane.DataPlaneCounters;
import dev.vpnrouter.dataplane.FlowStatus;
import dev.vpnrouter.dataplane.SaCounters;
import dev.vpnrouter.dataplane.SaStatus;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.IkeCounters;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.ike.NegotiationFailure;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link RouterSnapshot}s from an engine and its data plane. Runs on the thread that owns them (the
 * runtime's loop); not thread-safe. The data plane forgets an SA's counters when the SA goes, so the taker sees
 * every {@link IkeEffect.DeleteChild} before the data plane acts on it ({@link #beforeEffect}) and keeps the
 * SA's last counts: the ESP totals then only grow, as Prometheus counters must.
 */
public final class SnapshotTaker {
    /** Counters of SAs the data plane no longer holds. */
    private SaCounters retired = SaCounters.ZERO;

    /** Call with every engine effect before the host carries it out (an effect listener of the runtime). */
    public void beforeEffect(IkeEffect effect, DataPlane dataPlane) {
        if (dataPlane != null && effect instanceof IkeEffect.DeleteChild del) {
            SaStatus last = dataPlane.sa(del.child().id());
            if (last != null) {
                retired = retired.plus(last.counters());
            }
        }
    }

    /** The numbers now. {@code dataPlane} may be null (an engine without ESP): the ESP numbers are then 0. */
    public RouterSnapshot take(IkeEngine engine, DataPlane dataPlane, long nowMillis) {
        IkeCounters c = engine.counters();
        int up = 0;
        int negotiating = 0;
        for (IkeSaView sa : engine.ikeSas()) {
            if (sa.established()) {
                up++;
            } else {
                negotiating++;
            }
        }
        Map<NegotiationFailure, Long> failed = new EnumMap<>(NegotiationFailure.class);
        for (NegotiationFailure f : NegotiationFailure.values()) {
            failed.put(f, c.failed(f));
        }
        int ipsecUp;
        RouterSnapshot.Esp esp;
        if (dataPlane == null) {
            ipsecUp = engine.childSas().size() + engine.orphanChildSas().size();
            esp = new RouterSnapshot.Esp(0, 0, 0, 0, 0, 0);
        } else {
            ipsecUp = dataPlane.saCount();
            SaCounters total = retired;
            for (FlowStatus flow : dataPlane.flows()) {
                for (SaStatus sa : flow.sas()) {
                    total = total.plus(sa.counters());
                }
            }
            DataPlaneCounters dp = dataPlane.counters();
            esp = new RouterSnapshot.Esp(total.pktsDecaps(), total.pktsEncaps(), total.bytesIn(), total.bytesOut(),
                    dp.inboundDropped(), dp.outboundDropped());
        }
        // The configuration's pools as they are now (configure terminal may have changed them), and any removed
        // one that still has addresses out.
        List<String> names = engine.addressPoolNames();
        List<RouterSnapshot.Pool> pools = new ArrayList<>(names.size());
        for (String name : names) {
            AddressPool pool = engine.addressPool(name);
            if (pool != null) {
                pools.add(new RouterSnapshot.Pool(name, pool.inUse(), pool.size()));
            }
        }
        RouterSnapshot.Ike ike = new RouterSnapshot.Ike(up, negotiating, ipsecUp, c.phase1Started, c.phase2Started,
                c.phase1Completed, c.phase2Completed, failed, c.received, c.sent, c.retransmits, c.malformed,
                c.halfOpenDropped, c.aggressiveModeRateLimited, c.badMessagesDropped, c.mainModeCookiesSent,
                c.mainModeCookiesUnanswered, c.mainModeCookiesRedeemed, c.mainModeCookiesRejected);
        return new RouterSnapshot(nowMillis, ike, esp, pools);
    }
}
