package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;
import dev.vpnrouter.dataplane.DataPlane;
import dev.vpnrouter.dataplane.DataPlaneConfig;
import dev.vpnrouter.dataplane.DataPlaneEvent;
import dev.vpnrouter.dataplane.EspDatagram;
import dev.vpnrouter.dataplane.InboundResult;
import dev.vpnrouter.dataplane.OutboundResult;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.EnginePolicy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A lab router with an inside LAN of {@link SimHost}s and the real ESP {@link DataPlane} between them and the
 * simulated internet. Inside packets go through {@link DataPlane#outbound}: sealed ESP leaves raw (protocol 50)
 * or in UDP 4500 to the peer's port; ACQUIRE starts IKE for that crypto map entry. ESP that arrives goes through
 * {@link DataPlane#inbound} to the LAN host it is for.
 *
 * <p>The lab has no clear internet routing behind the routers, so BYPASS traffic (matching no crypto map) is
 * dropped and counted in {@link #bypassDropped()} rather than forwarded.
 */
public class SimLanRouter extends SimRouter {
    private final int insideAddress;
    private final int lanMask;
    private final DataPlane dataPlane;
    private final Map<Integer, SimHost> hosts = new LinkedHashMap<>();
    private final List<DataPlaneEvent> events = new ArrayList<>();
    private Consumer<SimPacket> espTap = p -> { };
    private long bypassDropped;
    private long outboundDropped;
    private long inboundDropped;
    private long noSuchHost;
    private long espSent;

    /**
     * @param insideAddress the router's own address on the LAN (the hosts' gateway, source of its ICMP errors)
     * @param lanMask       the LAN's netmask
     */
    public SimLanRouter(String name, SimNetwork network, int outsideAddress, EnginePolicy policy, long seed,
            int insideAddress, int lanMask) {
        this(name, network, outsideAddress, policy, seed, DataPlaneConfig.defaults(insideAddress), lanMask);
    }

    public SimLanRouter(String name, SimNetwork network, int outsideAddress, EnginePolicy policy, long seed,
            DataPlaneConfig config, int lanMask) {
        super(name, network, outsideAddress, policy, seed);
        this.insideAddress = config.insideAddress();
        this.lanMask = lanMask;
        this.dataPlane = new DataPlane(policy.cryptoMap(), config, seededRandom(seed ^ 0x5eed));
        dataPlane.outsideAddress(outsideAddress);
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public SimScheduler scheduler() {
        return network.scheduler();
    }

    public int insideAddress() {
        return insideAddress;
    }

    /** Puts a host on the LAN at {@code address} (inside the LAN's prefix). */
    public SimHost addHost(int address) {
        if (!onLan(address) || address == insideAddress) {
            throw new IllegalArgumentException(Ipv4.format(address) + " is not a host address of the LAN "
                    + Ipv4.format(insideAddress & lanMask) + "/" + Ipv4.prefixLength(lanMask));
        }
        SimHost host = new SimHost(this, address);
        if (hosts.putIfAbsent(address, host) != null) {
            throw new IllegalStateException(Ipv4.format(address) + " is already on the LAN");
        }
        return host;
    }

    /** The LAN is this one host from now on (a VPN client's virtual adapter taking a new address). */
    protected void replaceHost(SimHost host) {
        hosts.clear();
        hosts.put(host.address(), host);
    }

    /** Whether {@code address} is on the inside LAN: its packets stay local, never enter a tunnel. */
    protected boolean onLan(int address) {
        return (address & lanMask) == (insideAddress & lanMask);
    }

    public SimHost host(int address) {
        return hosts.get(address);
    }

    /** Sees every ESP packet this router sends to the internet (for tests that replay or tamper with them). */
    public void tapEsp(Consumer<SimPacket> tap) {
        this.espTap = tap;
    }

    /** A packet from a LAN host to its gateway. */
    public void fromLan(byte[] packet) {
        long now = network.scheduler().now();
        if (Ipv4Packet.isValid(packet, 0, packet.length)) {
            int dst = Ipv4Packet.destination(packet, 0);
            if (onLan(dst)) {
                deliverToLan(packet); // LAN to LAN: no tunnel involved
                return;
            }
        }
        handle(dataPlane.outbound(packet, now), now);
        collectEvents();
    }

    private void handle(OutboundResult result, long now) {
        switch (result) {
            case OutboundResult.Seal seal -> {
                for (EspDatagram d : seal.datagrams()) {
                    SimPacket p = d.udpEncapsulated()
                            ? SimPacket.udp(d.localAddress(), d.localPort(), d.peerAddress(), d.peerPort(), d.esp())
                            : SimPacket.esp(d.localAddress(), d.peerAddress(), d.esp());
                    espSent++;
                    espTap.accept(p);
                    network.send(p);
                }
            }
            // Deferred: this may run while the engine's effects are being carried out (a flush on install).
            case OutboundResult.Acquire a -> network.scheduler().after(0, () -> onAcquire(a));
            case OutboundResult.Queued q -> { }
            case OutboundResult.Bypass b -> bypassDropped++;
            case OutboundResult.IcmpError icmp -> deliverToLan(icmp.packet());
            case OutboundResult.Drop d -> outboundDropped++;
        }
    }

    /** The first packet for a crypto map entry without an SA: start IKE for it, as IOS does. */
    private void onAcquire(OutboundResult.Acquire acquire) {
        acquire(acquire.entry(), acquire.pair());
    }

    @Override
    protected void receiveEsp(SimPacket packet, byte[] esp) {
        int fromPort = packet.protocol() == SimPacket.UDP ? packet.srcPort() : 0;
        InboundResult r = dataPlane.inbound(esp, packet.src(), fromPort, network.scheduler().now());
        if (r instanceof InboundResult.Deliver d) {
            deliverToLan(d.packet());
        } else {
            inboundDropped++;
        }
        collectEvents();
    }

    private void deliverToLan(byte[] packet) {
        SimHost host = Ipv4Packet.isValid(packet, 0, packet.length) ? hosts.get(Ipv4Packet.destination(packet, 0))
                : null;
        if (host == null) {
            noSuchHost++;
            return;
        }
        network.scheduler().after(0, () -> host.deliver(packet));
    }

    @Override
    protected void onChildInstalled(ChildSa child) {
        long now = network.scheduler().now();
        for (OutboundResult r : dataPlane.install(child, now)) {
            handle(r, now);
        }
        collectEvents();
    }

    @Override
    protected void onChildDeleted(ChildSa child) {
        dataPlane.remove(child);
        collectEvents();
    }

    private void collectEvents() {
        for (DataPlaneEvent e : dataPlane.drainEvents()) {
            events.add(e);
            onDataPlaneEvent(e);
        }
    }

    /**
     * A data plane event: a kilobyte or sequence soft limit renews the child SA, a hard limit deletes it (the next
     * packet then acquires a new one). Deferred like acquires, since this may run while effects are carried out.
     */
    protected void onDataPlaneEvent(DataPlaneEvent event) {
        switch (event) {
            case DataPlaneEvent.RekeyNeeded r -> network.scheduler().after(0,
                    () -> run(e -> e.rekeyChild(r.child().id(), network.scheduler().now())));
            case DataPlaneEvent.Expired x -> network.scheduler().after(0,
                    () -> run(e -> e.expireChild(x.child().id(), "kilobyte lifetime expired",
                            network.scheduler().now())));
            case DataPlaneEvent.Message m -> message(m.message());
            default -> { }
        }
    }

    /** Every data plane event so far, in order. */
    public List<DataPlaneEvent> dataPlaneEvents() {
        return Collections.unmodifiableList(events);
    }

    /** Inside packets that matched no crypto map: the lab has nowhere to send them in clear. */
    public long bypassDropped() {
        return bypassDropped;
    }

    /** Inside packets the data plane dropped (reasons in its counters). */
    public long outboundDropped() {
        return outboundDropped;
    }

    /** ESP packets the data plane dropped (reasons in the SA counters and its own). */
    public long inboundDropped() {
        return inboundDropped;
    }

    /** Packets for a LAN address with no host. */
    public long noSuchHost() {
        return noSuchHost;
    }

    public long espSent() {
        return espSent;
    }
}
