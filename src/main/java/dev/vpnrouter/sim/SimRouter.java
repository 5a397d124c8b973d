package dev.vpnrouter.sim;

import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.Datagram;
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
 * A router of the lab: the real IKE engine on the simulated internet. It carries the engine's datagrams (adding
 * and stripping the RFC 3948 non-ESP marker on port 4500), drives its timers from the virtual clock and keeps the
 * child SAs the engine installs.
 */
public class SimRouter implements SimNode {
    private final String name;
    protected final SimNetwork network;
    protected final IkeEngine engine;
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

    /** The outside address changed (a new DHCP lease): move on the network and tell the engine. */
    public void changeAddress(int newAddress) {
        network.detach(address);
        address = newAddress;
        network.attach(newAddress, this);
        engine.changeLocalAddress(newAddress, network.scheduler().now());
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

    @Override
    public void receive(SimPacket packet) {
        if (packet.protocol() == SimPacket.UDP && packet.dstPort() == Datagram.IKE_PORT) {
            countExchange(packet.payload(), 0);
            engine.receive(new Datagram(packet.src(), packet.srcPort(), packet.dst(), packet.dstPort(),
                    packet.payload()), network.scheduler().now());
        } else if (packet.protocol() == SimPacket.UDP && packet.dstPort() == Datagram.NAT_T_PORT) {
            byte[] p = packet.payload();
            if (p.length >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) {
                countExchange(p, 4);
                engine.receive(new Datagram(packet.src(), packet.srcPort(), packet.dst(), packet.dstPort(),
                        Arrays.copyOfRange(p, 4, p.length)), network.scheduler().now());
            } else if (p.length == 1 && p[0] == (byte) 0xff) {
                return; // NAT keepalive (RFC 3948 section 2.3)
            } else {
                receiveEsp(packet, p);
            }
        } else if (packet.protocol() == SimPacket.ESP) {
            receiveEsp(packet, packet.payload());
        }
        pump();
    }

    /** ESP arrived (raw or in UDP); the data plane of a subclass handles it. */
    protected void receiveEsp(SimPacket packet, byte[] esp) {
    }

    /** Lets the engine act on its own: connect at start, traffic-triggered acquires. */
    public void run(Consumer<IkeEngine> action) {
        action.accept(engine);
        pump();
    }

    /** Carries out the engine's effects and makes sure its next timer will fire. */
    protected void pump() {
        for (IkeEffect effect : engine.drain()) {
            effectListener.accept(effect);
            switch (effect) {
                case IkeEffect.Send s -> send(s.datagram());
                case IkeEffect.InstallChild i -> {
                    children.add(i.child());
                    onChildInstalled(i.child());
                }
                case IkeEffect.DeleteChild del -> {
                    children.remove(del.child());
                    onChildDeleted(del.child());
                }
                case IkeEffect.Debug d -> debugSink.accept(d.line());
                case IkeEffect.IkeUp up -> { }
                case IkeEffect.IkeDown down -> { }
                case IkeEffect.KeyLog k -> { }
                case IkeEffect.ClientConfigured configured -> onClientConfigured(configured);
            }
        }
        long next = engine.nextTimerMillis();
        if (next < tickAt) {
            tickAt = next;
            network.scheduler().at(next, this::onTimer);
        }
    }

    private void onTimer() {
        long now = network.scheduler().now();
        if (now < tickAt) {
            return; // an earlier schedule already ran this tick
        }
        tickAt = Long.MAX_VALUE;
        engine.tick(now);
        pump();
    }

    /** Our VPN client role received its Mode Config settings. */
    protected void onClientConfigured(IkeEffect.ClientConfigured configured) {
    }

    protected void onChildInstalled(ChildSa child) {
    }

    protected void onChildDeleted(ChildSa child) {
    }

    private void send(Datagram d) {
        byte[] data = d.data();
        if (d.srcPort() == Datagram.NAT_T_PORT || d.dstPort() == Datagram.NAT_T_PORT) {
            byte[] marked = new byte[data.length + 4];
            System.arraycopy(data, 0, marked, 4, data.length);
            data = marked;
        }
        network.send(SimPacket.udp(d.src(), d.srcPort(), d.dst(), d.dstPort(), data));
    }
}
