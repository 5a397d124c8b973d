package dev.vpnrouter.cli;

import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.dataplane.SaStatus;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeSaView;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A router's state copied at one moment, on the thread that owns the engine, so a {@code show} command and its
 * output filter can run anywhere else: the copy is linear in the number of SAs and allocates little; formatting,
 * sorting and filtering (the costly part of a show of thousands of tunnels) run on the session's own thread, and
 * the router's loop goes back to protocol work at once.
 */
final class ViewSnapshot implements RouterView {
    /** One ISAKMP SA as it was; its lifetime keeps counting down from the moment of the copy. */
    private record IkeSaCopy(int connId, int localAddress, int peerAddress, int peerPort, boolean initiator,
            String iosState, String encryption, String hash, String authentication, int dhGroup, long remainingAt,
            long takenAtMillis, String capabilities, String profile, String peerIdentity, boolean established,
            String xauthUser, int assignedAddress) implements IkeSaView {
        @Override
        public long remainingSeconds(long nowMillis) {
            return Math.max(0, remainingAt - Math.max(0, nowMillis - takenAtMillis) / 1000);
        }
    }

    private final RouterConfig config;
    private final List<IkeSaView> ikeSas;
    private final List<ChildSa> childSas;
    private final Map<Long, SaStatus> status = new HashMap<>();
    private final Map<String, AddressPool> pools = new HashMap<>();
    /** Static entries' current peers by "map sequence". */
    private final Map<String, Integer> currentPeers = new HashMap<>();
    private final List<InterfaceStatus> interfaces;
    private final long startedAtMillis;
    /** {@code show logging}'s text when the command asked for it (the buffer is formatted only then). */
    private final String logging;

    private ViewSnapshot(RouterView live, long nowMillis, boolean withLogging) {
        config = live.config();
        Collection<? extends IkeSaView> sas = live.ikeSas();
        List<IkeSaView> copies = new ArrayList<>(sas.size());
        for (IkeSaView s : sas) {
            copies.add(new IkeSaCopy(s.connId(), s.localAddress(), s.peerAddress(), s.peerPort(), s.initiator(),
                    s.iosState(), s.encryption(), s.hash(), s.authentication(), s.dhGroup(),
                    s.remainingSeconds(nowMillis), nowMillis, s.capabilities(), s.profile(), s.peerIdentity(),
                    s.established(), s.xauthUser(), s.assignedAddress()));
        }
        ikeSas = List.copyOf(copies);
        childSas = List.copyOf(live.childSas());
        for (ChildSa c : childSas) {
            SaStatus s = live.saStatus(c.id());
            if (s != null) {
                status.put(c.id(), s); // a record built for the asking: already a copy
            }
        }
        for (dev.vpnrouter.config.model.IpLocalPool p : config.localPools()) {
            AddressPool pool = live.addressPool(p.name());
            if (pool != null) {
                pools.put(p.name(), pool.copy());
            }
        }
        for (dev.vpnrouter.config.model.CryptoMap m : config.cryptoMaps()) {
            for (dev.vpnrouter.config.model.MapEntry e : m.entries()) {
                int peer = live.currentPeer(m.name(), e.sequence());
                if (peer != 0) {
                    currentPeers.put(m.name() + " " + e.sequence(), peer);
                }
            }
        }
        interfaces = List.copyOf(live.interfaces());
        startedAtMillis = live.startedAtMillis();
        logging = withLogging ? live.showLogging() : null;
    }

    /**
     * Copies {@code live} now; call it on the thread that owns the engine. The message log's text is copied only
     * {@code withLogging} ({@code show logging}): it is the one part whose size the operator sets.
     */
    static RouterView of(RouterView live, long nowMillis, boolean withLogging) {
        return new ViewSnapshot(live, nowMillis, withLogging);
    }

    @Override
    public String showLogging() {
        return logging;
    }

    @Override
    public RouterConfig config() {
        return config;
    }

    @Override
    public Collection<? extends IkeSaView> ikeSas() {
        return ikeSas;
    }

    @Override
    public int currentPeer(String mapName, int sequence) {
        return currentPeers.getOrDefault(mapName + " " + sequence, 0);
    }

    @Override
    public List<ChildSa> childSas() {
        return childSas;
    }

    @Override
    public SaStatus saStatus(long childId) {
        return status.get(childId);
    }

    @Override
    public AddressPool addressPool(String name) {
        return pools.get(name);
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        return interfaces;
    }

    @Override
    public long startedAtMillis() {
        return startedAtMillis;
    }
}
