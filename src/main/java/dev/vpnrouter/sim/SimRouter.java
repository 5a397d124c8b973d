package dev.vpnrouter.sim;

import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.Datagram;
import dev.vpnrouter.ike.HostCore;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.EnginePolicy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A router of the lab: the real IKE engine, in the same {@link HostCore} as {@code vpnrouter run}, on the simulated
 * internet. This shell only carries datagrams, drives the core's timers from the virtual clock and keeps the child
 * SAs the engine installs.
 */
public class SimRouter implements SimNode, HostCore.Shell {
    private final String name;
    protected final SimNetwork network;
    protected final IkeEngine engine;
    private final HostCore core;
    private int address;
    private final List<ChildSa> children = new ArrayList<>();
    private Consumer<String> debugSink = line -> { };
    private long tickAt = Long.MAX_VALUE;
    private long transactionsReceived;

    public SimRouter(String name, SimNetwork network, int address, EnginePolicy policy, long seed) {
        this.name = name;
        this.network = network;
        this.address = address;
        this.engine = new IkeEngine(policy, address, seededRandom(seed));
        this.core = new HostCore(engine, this);
        network.attach(address, this);
    }

    /** A deterministic SecureRandom: the same seed gives the same cookies, nonces, DH keys and SPIs. */
    public static SecureRandom seededRandom(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
        }
    }

    public String name() {
        return name;
    }

    public IkeEngine engine() {
        return engine;
    }

    public int address() {
        return address;
    }

    public List<ChildSa> children() {
        return children;
    }

    public void onDebug(Consumer<String> sink) {
        this.debugSink = sink;
    }

    /** Sees every effect the engine produces, before the router acts on it. */
    public void onEffect(Consumer<IkeEffect> listener) {
        this.effectListener = listener;
    }

    private Consumer<IkeEffect> effectListener = effect -> { };

    /**
     * The outside address changed (a new DHCP lease): the core deletes every SA (the Deletes leave from the old
     * address, as the Linux router sends them while the kernel still has it) and moves the engine; static entries
     * come up again {@link HostCore#RECONNECT_DELAY_MILLIS} later unless the peer is first.
     */
    public void changeAddress(int newAddress) {
        int old = address;
        address = newAddress;
        if (radius != null) {
            radius.from(newAddress);
        }
        network.attach(newAddress, this);
        core.move(newAddress, network.scheduler().now());
        network.detach(old);
        pump();
    }

    /** ISAKMP Transaction exchanges (Xauth, Mode Config) that reached this router: spokes must see none. */
    public long transactionsReceived() {
        return transactionsReceived;
    }

    private void countExchange(byte[] isakmp, int offset) {
        if (isakmp.length > offset + 18 && isakmp[offset + 18] == EXCHANGE_TRANSACTION) {
            transactionsReceived++;
        }
    }

    private static final byte EXCHANGE_TRANSACTION = 6;

    /** Whether {@link #kill} stopped this router. */
    private boolean killed;

    /**
     * The router dies (a hub pulled from the rack): it is gone from the network, answers nothing, and its timers
     * never fire again; its peers find out by DPD. Nothing is cleaned up: no Delete, no accounting Stop.
     */
    public void kill() {
        killed = true;
        network.detach(address);
    }

    @Override
    public void receive(SimPacket packet) {
        if (killed) {
            return;
        }
        if (packet.protocol() == SimPacket.UDP && (packet.dstPort() == Datagram.IKE_PORT
                || packet.dstPort() == Datagram.NAT_T_PORT)) {
            byte[] p = packet.payload();
            boolean marked = packet.dstPort() == Datagram.NAT_T_PORT;
            if (!marked || p.length >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) {
                countExchange(p, marked ? 4 : 0);
            }
            receivingEsp = packet;
            core.receiveUdp(p, 0, p.length, packet.src(), packet.srcPort(), packet.dst(), packet.dstPort(),
                    network.scheduler().now());
            receivingEsp = null;
        } else if (packet.protocol() == SimPacket.ESP) {
            receiveEsp(packet, packet.payload());
        } else if (radius != null && packet.protocol() == SimPacket.UDP
                && packet.dstPort() == SimRadiusClient.SOURCE_PORT) {
            radius.receive(packet);
        }
        pump();
    }

    /** The router's RADIUS client once {@link #useRadius} gave it one; null: the lab has no RADIUS server. */
    private SimRadiusClient radius;
    private long radiusTickAt = Long.MAX_VALUE;

    /**
     * Gives this router a RADIUS client on the simulated internet, for the servers its configuration names (the
     * lab's stand-in): Xauth's {@code group} methods and accounting go over the wire from then on.
     */
    public SimRadiusClient useRadius(long seed) {
        radius = new SimRadiusClient(network, seed, this::radiusWakeAt);
        radius.from(address);
        return radius;
    }

    public SimRadiusClient radius() {
        return radius;
    }

    private void radiusWakeAt(long at) {
        if (at < radiusTickAt) {
            radiusTickAt = at;
            network.scheduler().at(at, this::onRadiusTimer);
        }
    }

    private void onRadiusTimer() {
        long now = network.scheduler().now();
        if (now < radiusTickAt || radius == null || killed) {
            return; // an earlier schedule already ran this tick
        }
        radiusTickAt = Long.MAX_VALUE;
        radius.tick(now);
        pump();
    }

    /**
     * Xauth's login list. With a RADIUS client, its {@code group} methods are asked over the simulated internet and
     * the verdict comes when the answers do; without one, a {@code group} method cannot answer (ERROR), so the
     * list's next method decides, as on a router whose servers are all silent, answered at once.
     */
    @Override
    public void authenticate(IkeEffect.Authenticate request) {
        SimScheduler clock = network.scheduler();
        if (radius != null) {
            // Never inside the effect being carried out: a list answered without a server decides at once.
            radius.authenticate(request, engine.policy(), address, (passed, granted) -> clock.at(clock.now(), () -> {
                core.authenticated(request, passed, granted, clock.now());
                pump();
            }));
            return;
        }
        // No server, so no challenge to answer: an answer to one (there is none) fails.
        boolean passed = request.answering() == null && engine.policy().authenticate(request.list(), request.user(),
                request.password(),
                group -> dev.vpnrouter.policy.LoginMethods.Result.ERROR);
        clock.at(clock.now(), () -> core.authenticated(request, passed, clock.now()));
    }

    /** No RADIUS server in the lab either: no group is granted by one (answered at once, on the simulated clock). */
    @Override
    public void authorizeGroup(IkeEffect.AuthorizeGroup request) {
        SimScheduler clock = network.scheduler();
        clock.at(clock.now(), () -> core.groupAuthorized(request, null, clock.now()));
    }

    /** Through the RADIUS client when there is one; else there is no server, and the record has nowhere to go. */
    @Override
    public void account(IkeEffect.Account record) {
        if (radius != null) {
            radius.account(record, engine.policy(), address);
        }
    }

    /** The packet being handed to the core, for {@link #espInUdp}. */
    private SimPacket receivingEsp;

    @Override
    public void espInUdp(byte[] buffer, int off, int len, int fromAddress, int fromPort) {
        receiveEsp(receivingEsp, off == 0 && len == buffer.length ? buffer : Arrays.copyOfRange(buffer, off,
                off + len));
    }

    /** ESP arrived (raw or in UDP); the data plane of a subclass handles it. */
    protected void receiveEsp(SimPacket packet, byte[] esp) {
    }

    /** Lets the engine act on its own: connect at start, operator commands. */
    public void run(Consumer<IkeEngine> action) {
        core.run(action);
        pump();
    }

    /** Traffic matched an entry with no SA: the core asks the engine to bring one up, as on Linux. */
    protected void acquire(dev.vpnrouter.ike.cfg.ChildPolicy entry, dev.vpnrouter.ike.cfg.ChildPolicy.SelectorPair pair) {
        core.acquire(entry, pair, network.scheduler().now());
        pump();
    }

    /** Carries out the engine's effects and makes sure the core's next timer will fire. */
    protected void pump() {
        core.carryOut();
        long next = core.nextTimerMillis();
        if (next < tickAt) {
            tickAt = next;
            network.scheduler().at(next, this::onTimer);
        }
    }

    @Override
    public void observe(IkeEffect effect) {
        effectListener.accept(effect);
    }

    @Override
    public void installed(ChildSa child) {
        children.add(child);
        onChildInstalled(child);
    }

    @Override
    public void deleted(ChildSa child, String reason) {
        children.remove(child);
        onChildDeleted(child);
    }

    @Override
    public void debug(String line) {
        debugSink.accept(line);
    }

    /** Sees the router's messages (the engine's and, in a subclass, the data plane's). */
    public void onMessage(Consumer<dev.vpnrouter.syslog.RouterMessage> listener) {
        this.messageListener = listener;
    }

    private Consumer<dev.vpnrouter.syslog.RouterMessage> messageListener = message -> { };

    /** The lab's routers print their messages where their debug lines go, as IOS's console shows both. */
    @Override
    public void message(dev.vpnrouter.syslog.RouterMessage message) {
        debugSink.accept(message.format());
        messageListener.accept(message);
    }

    @Override
    public void clientConfigured(IkeEffect.ClientConfigured configured) {
        onClientConfigured(configured);
    }

    private void onTimer() {
        long now = network.scheduler().now();
        if (now < tickAt || killed) {
            return; // an earlier schedule already ran this tick, or the router is dead
        }
        tickAt = Long.MAX_VALUE;
        core.tick(now);
        pump();
    }

    /** Our VPN client role received its Mode Config settings. */
    protected void onClientConfigured(IkeEffect.ClientConfigured configured) {
    }

    protected void onChildInstalled(ChildSa child) {
    }

    protected void onChildDeleted(ChildSa child) {
    }

    @Override
    public void send(Datagram d, byte[] wire) {
        network.send(SimPacket.udp(d.src(), d.srcPort(), d.dst(), d.dstPort(), wire));
    }
}
