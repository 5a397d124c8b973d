package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.dataplane.DataPlane;
import dev.vpnrouter.dataplane.DataPlaneConfig;
import dev.vpnrouter.dataplane.DataPlaneEvent;
import dev.vpnrouter.dataplane.EspDatagram;
import dev.vpnrouter.dataplane.InboundResult;
import dev.vpnrouter.dataplane.OutboundResult;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.net.LinkConfig;
import dev.vpnrouter.net.RawEspSocket;
import dev.vpnrouter.net.TunDevice;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ESP data plane on a Linux box: cleartext packets through a TUN device, ESP through a raw protocol-50 socket
 * or in UDP 4500 (the runtime's socket). The sans-IO {@link DataPlane} runs on the runtime's loop thread; two
 * reader threads (TUN, raw ESP) only hand packets over. Routes for the protected networks point into the TUN:
 * static crypto map networks from the start (so the first packet triggers IKE), dynamic ones while their SAs live.
 * When the runtime moves to a new outside address, the raw ESP socket is rebound to it.
 */
public final class LinuxDataPlane implements AutoCloseable {
    /** 1500 minus the largest ESP-in-UDP overhead of our suites (IPv4 20 + UDP 8 + ESP 8 + IV 16 + pad/trailer
     *  17 + ICV 32 = 101, rounded up). */
    public static final int TUN_MTU = 1396;

    private final RouterRuntime runtime;
    private final DataPlane dataPlane;
    private final TunDevice tun;
    private volatile RawEspSocket raw;
    private final LinkConfig links = LinkConfig.current();
    private RouteTable routeTable;
    private final Thread tunReader;
    private final Thread espReader;
    private volatile boolean running = true;
    private Consumer<String> log = line -> { };
    private long tunIn;
    private long tunOut;

    private LinuxDataPlane(RouterRuntime runtime, DataPlane dataPlane, TunDevice tun, RawEspSocket raw) {
        this.runtime = runtime;
        this.dataPlane = dataPlane;
        this.tun = tun;
        this.raw = raw;
        this.tunReader = Thread.ofPlatform().name("vpnrouter-tun").daemon(true).unstarted(this::readTun);
        this.espReader = Thread.ofPlatform().name("vpnrouter-esp").daemon(true).unstarted(this::readEsp);
    }

    /**
     * Opens the TUN device {@code tunName} and a raw ESP socket on the runtime's address (in the calling thread's
     * network namespace), routes the static crypto map's remote networks into the TUN and plugs into the runtime.
     *
     * @param insideAddress the router's inside address, the source of ICMP errors it sends to LAN hosts
     */
    public static LinuxDataPlane start(RouterRuntime runtime, String tunName, int insideAddress, Consumer<String> log)
            throws IOException {
        DataPlane dp = new DataPlane(runtime.query(e -> e.policy().cryptoMap()),
                DataPlaneConfig.defaults(insideAddress), new SecureRandom());
        TunDevice tun = TunDevice.open(tunName);
        RawEspSocket raw;
        try {
            raw = RawEspSocket.open(runtime.address());
        } catch (IOException e) {
            tun.close();
            throw e;
        }
        LinuxDataPlane l = new LinuxDataPlane(runtime, dp, tun, raw);
        if (log != null) {
            l.log = log;
        }
        l.links.disableIpv6(tun.name());
        // Room for ESP (and UDP) headers inside a 1500-byte outside MTU: the kernel then does path MTU for
        // forwarded packets itself (its ICMP comes from a real router address, which ours written into the TUN
        // would not: a packet from one of the box's own addresses arriving on an interface is a martian).
        l.links.setMtu(tun.name(), TUN_MTU);
        l.links.up(tun.name());
        for (TrafficSelector net : dp.staticRemoteNetworks()) {
            l.links.addRoute(net.address(), Ipv4.prefixLength(net.mask()), tun.name());
        }
        runtime.addChildSaListener(new RouterRuntime.ChildSaListener() {
            @Override
            public void installed(ChildSa child) {
                long now = System.currentTimeMillis();
                for (OutboundResult r : dp.install(child, now)) {
                    l.handle(r);
                }
                l.events();
            }

            @Override
            public void deleted(ChildSa child, String reason) {
                dp.remove(child);
                l.events();
            }
        });
        runtime.onEspInUdp((esp, from, port) -> l.inbound(esp, from, port));
        runtime.addAddressListener((oldAddress, newAddress) -> l.rebind(newAddress));
        l.tunReader.start();
        l.espReader.start();
        return l;
    }

    public String tunName() {
        return tun.name();
    }

    /** The data plane's counters and SA views: only read them on the runtime's loop thread (via query). */
    public DataPlane dataPlane() {
        return dataPlane;
    }

    private void readTun() {
        byte[] buf = new byte[TunDevice.MAX_PACKET];
        try {
            while (running) {
                int n = tun.read(buf, 0, buf.length, 500);
                if (n <= 0) {
                    continue;
                }
                byte[] packet = java.util.Arrays.copyOf(buf, n);
                runtime.submit(e -> {
                    tunIn++;
                    handle(dataPlane.outbound(packet, System.currentTimeMillis()));
                    events();
                });
            }
        } catch (IOException e) {
            if (running) {
                log.accept("vpnrouter: TUN reader stopped: " + e.getMessage());
            }
        }
    }

    private void readEsp() {
        while (running) {
            RawEspSocket socket = raw;
            try {
                RawEspSocket.EspPacket p = socket.receive(500);
                if (p != null) {
                    runtime.submit(e -> inbound(p.esp(), p.source(), 0));
                }
            } catch (IOException e) {
                if (socket != raw) {
                    continue; // rebound to a new address while we waited on the old socket
                }
                if (running) {
                    log.accept("vpnrouter: ESP reader stopped: " + e.getMessage());
                }
                return;
            }
        }
    }

    /** On the loop thread: raw ESP follows the outside address (the old socket's address is gone). */
    private void rebind(int newAddress) {
        RawEspSocket old = raw;
        try {
            raw = RawEspSocket.open(newAddress);
            old.close();
        } catch (IOException e) {
            log.accept("vpnrouter: raw ESP stays on the old address: " + e.getMessage());
        }
    }

    /** On the loop thread. */
    private void inbound(byte[] esp, int from, int fromPort) {
        InboundResult r = dataPlane.inbound(esp, from, fromPort, System.currentTimeMillis());
        if (r instanceof InboundResult.Deliver d) {
            try {
                tun.write(d.buffer(), d.offset(), d.length());
                tunOut++;
            } catch (IOException e) {
                log.accept("vpnrouter: TUN write failed: " + e.getMessage());
            }
        }
        events();
    }

    /** On the loop thread. */
    private void handle(OutboundResult result) {
        try {
            switch (result) {
                case OutboundResult.Seal seal -> {
                    for (EspDatagram d : seal.datagrams()) {
                        if (d.udpEncapsulated()) {
                            runtime.sendEspInUdp(d.esp(), d.peerAddress(), d.peerPort());
                        } else {
                            raw.send(d.peerAddress(), d.esp());
                        }
                    }
                }
                case OutboundResult.Acquire a -> runtime.submit(e -> e.connect(a.entry(), a.pair(),
                        System.currentTimeMillis()));
                case OutboundResult.IcmpError icmp -> tun.write(icmp.packet());
                case OutboundResult.Queued q -> { }
                case OutboundResult.Bypass b -> { } // routed into the TUN but no crypto map matches: dropped
                case OutboundResult.Drop d -> { }
            }
        } catch (IOException e) {
            log.accept("vpnrouter: ESP send failed: " + e.getMessage());
        }
    }

    /** On the loop thread: routes follow SAs; volume limits go back to the engine. */
    private void events() {
        for (DataPlaneEvent event : dataPlane.drainEvents()) {
            try {
                switch (event) {
                    case DataPlaneEvent.RouteAdded a -> route(a.route().network(), true);
                    case DataPlaneEvent.RouteRemoved r -> route(r.route().network(), false);
                    case DataPlaneEvent.RekeyNeeded n -> runtime.submit(e -> e.rekeyChild(n.child().id(),
                            System.currentTimeMillis()));
                    case DataPlaneEvent.Expired x -> runtime.submit(e -> e.expireChild(x.child().id(),
                            "kilobyte lifetime expired", System.currentTimeMillis()));
                    default -> log.accept("vpnrouter: " + event);
                }
            } catch (IOException e) {
                log.accept("vpnrouter: route change failed: " + e.getMessage());
            }
        }
    }

    /**
     * Where the routes for protected networks go when SAs come and go. The router's default routes each network
     * into the TUN; a VPN client routes "everything" without replacing the system's default route.
     */
    public interface RouteTable {
        void add(TrafficSelector network) throws IOException;

        void remove(TrafficSelector network) throws IOException;
    }

    /** Replaces the default route handling (call before SAs come up). */
    public void setRouteTable(RouteTable table) {
        runtime.submit(e -> routeTable = table);
    }

    /** A new crypto map for the data plane, e.g. a VPN client's selectors from Mode Config. */
    public void setCryptoMap(List<dev.vpnrouter.ike.cfg.ChildPolicy> cryptoMap) {
        runtime.submit(e -> dataPlane.setCryptoMap(cryptoMap));
    }

    private void route(TrafficSelector network, boolean add) throws IOException {
        if (routeTable != null) {
            if (add) {
                routeTable.add(network);
            } else {
                routeTable.remove(network);
            }
            return;
        }
        List<TrafficSelector> statics = dataPlane.staticRemoteNetworks();
        if (statics.contains(network)) {
            return; // static crypto map networks stay routed into the TUN
        }
        if (add) {
            links.addRoute(network.address(), Ipv4.prefixLength(network.mask()), tun.name());
        } else {
            links.deleteRoute(network.address(), Ipv4.prefixLength(network.mask()), tun.name());
        }
    }

    public long packetsFromTun() {
        return tunIn;
    }

    public long packetsToTun() {
        return tunOut;
    }

    @Override
    public void close() throws IOException {
        running = false;
        tun.close();
        raw.close();
        try {
            tunReader.join(2_000);
            espReader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
