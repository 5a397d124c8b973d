package dev.vpnrouter.cli;

import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.dataplane.DataPlane;
import dev.vpnrouter.dataplane.SaStatus;
import dev.vpnrouter.ike.AddressPool;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.IkeSaView;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.ConfigPolicy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link RouterView} and {@link RouterControl} over one {@link IkeEngine} and its {@link DataPlane}: what the lab
 * and {@code vpnrouter run} hand to the exec sessions. Changes go through {@code actor}, which runs the action on
 * the engine and carries out its effects (Deletes sent, SAs removed from the data plane): the lab's
 * {@code SimRouter::run}, or a direct call on the runtime's loop thread.
 */
public final class EngineRouter implements RouterView, RouterControl {
    private RouterConfig config;
    private ConfigStore store;
    private final IkeEngine engine;
    private final DataPlane dataPlane;
    private final Consumer<Consumer<IkeEngine>> actor;
    private final long startedAtMillis;
    private final Map<String, int[]> dhcpLeases = new HashMap<>();
    private boolean alwaysDebug;
    private Consumer<List<ChildPolicy>> cryptoMapSink;
    private dev.vpnrouter.syslog.MessageLog messageLog;
    private Consumer<RouterConfig> loggingSink = c -> { };

    /**
     * @param dataPlane null when the router has none (the counters then read zero)
     * @param actor runs an action on the engine and carries out the effects it queued
     */
    public EngineRouter(RouterConfig config, IkeEngine engine, DataPlane dataPlane,
            Consumer<Consumer<IkeEngine>> actor, long startedAtMillis) {
        this.config = config;
        this.engine = engine;
        this.dataPlane = dataPlane;
        this.cryptoMapSink = dataPlane == null ? map -> { } : dataPlane::setCryptoMap;
        this.actor = actor;
        this.startedAtMillis = startedAtMillis;
    }

    /** Keeps the engine's debug lines on whatever the exec sessions ask ({@code vpnrouter run --debug}). */
    public EngineRouter alwaysDebug(boolean on) {
        this.alwaysDebug = on;
        if (on) {
            engine.setDebug(true);
        }
        return this;
    }

    /** The address and mask the DHCP client holds for {@code ip address dhcp} interface {@code name}. */
    public EngineRouter dhcpLease(String name, int address, int mask) {
        dhcpLeases.put(name, new int[] {address, mask});
        return this;
    }

    /** Where {@code write memory} saves the running configuration (the file {@code run} read it from). */
    public EngineRouter configStore(ConfigStore store) {
        this.store = store;
        return this;
    }

    /** Saves configuration text (atomically, keeping a backup); the I/O lives with the caller. */
    @FunctionalInterface
    public interface ConfigStore {
        /** Returns where it was saved, for the message. */
        String save(String text) throws java.io.IOException;
    }

    /**
     * Where a reconfigured crypto map goes. By default straight into the data plane (the lab's, on the one thread
     * that runs everything); {@code run} gives the Linux data plane's, which takes its lock and routes new static
     * networks into its TUN.
     */
    public EngineRouter cryptoMapSink(Consumer<List<ChildPolicy>> sink) {
        this.cryptoMapSink = sink;
        return this;
    }

    /**
     * The router's message log ({@code show logging}, %SYS-5-CONFIG_I) and what takes a new configuration's
     * {@code logging} commands (the log itself in the lab; {@code run}'s also moves its syslog socket).
     */
    public EngineRouter messageLog(dev.vpnrouter.syslog.MessageLog log, Consumer<RouterConfig> configure) {
        this.messageLog = log;
        this.loggingSink = configure;
        return this;
    }

    @Override
    public dev.vpnrouter.syslog.MessageLog messageLog() {
        return messageLog;
    }

    @Override
    public void reconfigure(RouterConfig newConfig, long nowMillis) {
        ConfigPolicy policy = new ConfigPolicy(newConfig);
        this.config = newConfig;
        loggingSink.accept(newConfig);
        actor.accept(e -> e.reconfigure(policy));
        cryptoMapSink.accept(policy.cryptoMap());
    }

    @Override
    public String writeMemory(String text) {
        if (store == null) {
            return "% This router has no configuration file to write to\n";
        }
        try {
            String where = store.save(text);
            return "Building configuration...\n[OK] (" + where + ")\n";
        } catch (java.io.IOException e) {
            return "%Error writing configuration: " + e.getMessage() + "\n";
        }
    }

    public IkeEngine engine() {
        return engine;
    }

    @Override
    public RouterConfig config() {
        return config;
    }

    @Override
    public Collection<? extends IkeSaView> ikeSas() {
        return engine.ikeSas();
    }

    @Override
    public int currentPeer(String mapName, int sequence) {
        for (ChildPolicy entry : engine.policy().cryptoMap()) {
            if (!entry.dynamic() && !entry.peers().isEmpty() && entry.mapName().equals(mapName)
                    && entry.sequence() == sequence) {
                return engine.currentPeer(entry);
            }
        }
        return 0;
    }

    @Override
    public List<ChildSa> childSas() {
        List<ChildSa> all = new ArrayList<>(engine.childSas());
        all.addAll(engine.orphanChildSas());
        return all;
    }

    @Override
    public SaStatus saStatus(long childId) {
        return dataPlane == null ? null : dataPlane.sa(childId);
    }

    @Override
    public AddressPool addressPool(String name) {
        return engine.addressPool(name);
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        List<InterfaceStatus> out = new ArrayList<>();
        for (Interface i : config.interfaces()) {
            int address = 0;
            int mask = 0;
            boolean dhcp = false;
            switch (i.address()) {
                case InterfaceAddress.Static s -> {
                    // The crypto map's interface shows the address the engine really runs on (the same on a
                    // router; a test bed may put the configuration on another).
                    address = i.cryptoMap().isPresent() && !i.shutdown() ? engine.localAddress() : s.address();
                    mask = s.mask();
                }
                case InterfaceAddress.Dhcp d -> {
                    dhcp = true;
                    int[] lease = dhcpLeases.get(i.name());
                    if (lease != null) {
                        address = lease[0];
                        mask = lease[1];
                    } else if (i.cryptoMap().isPresent()) {
                        address = engine.localAddress(); // the engine runs on what DHCP gave
                        mask = 0xffffff00;
                    }
                }
                case InterfaceAddress.None n -> { }
            }
            out.add(new InterfaceStatus(i.name(), !i.shutdown(), address, mask, dhcp, i.description().orElse(null),
                    i.cryptoMap().orElse(null), i.passive().stream().map(p -> p.text().strip()).toList()));
        }
        return out;
    }

    @Override
    public long startedAtMillis() {
        return startedAtMillis;
    }

    @Override
    public void clearIpsec(int peer, long nowMillis) {
        actor.accept(e -> {
            if (peer == 0) {
                e.clearIpsec(nowMillis);
            } else {
                e.clearIpsec(peer, nowMillis);
            }
        });
    }

    @Override
    public boolean clearIsakmp(int connId, long nowMillis) {
        boolean[] found = {true};
        actor.accept(e -> {
            if (connId < 0) {
                e.clearIsakmp(nowMillis);
            } else {
                found[0] = e.clearIsakmp(connId, nowMillis);
            }
        });
        return found[0];
    }

    @Override
    public void clearSession(int peer, long nowMillis) {
        actor.accept(e -> e.clearSession(peer, nowMillis));
    }

    @Override
    public void debugging(Set<DebugCategory> on) {
        engine.setDebug(alwaysDebug || !on.isEmpty());
    }
}
