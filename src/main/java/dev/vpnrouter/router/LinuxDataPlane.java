package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.common.Ipv4Packet;
import dev.vpnrouter.dataplane.DataPlane;
import dev.vpnrouter.dataplane.DataPlaneConfig;
import dev.vpnrouter.dataplane.DataPlaneEvent;
import dev.vpnrouter.dataplane.EspDatagram;
import dev.vpnrouter.dataplane.OutboundResult;
import dev.vpnrouter.dataplane.ProtectedRoute;
import dev.vpnrouter.dataplane.SealTarget;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.net.LinkConfig;
import dev.vpnrouter.net.PacketBatch;
import dev.vpnrouter.net.RawEspSocket;
import dev.vpnrouter.net.RtNetlink;
import dev.vpnrouter.net.TcpOffload;
import dev.vpnrouter.net.TunDevice;
import dev.vpnrouter.net.UdpEndpoint;
import dev.vpnrouter.net.UdpEspSocket;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ESP data plane on a Linux box: cleartext packets through a TUN device, ESP through a raw protocol-50 socket
 * or in UDP 4500. Routes for the protected networks point into the TUN: static crypto map networks from the start
 * (so the first packet triggers IKE), dynamic ones while their SAs live.
 *
 * <p>One thread per direction and transport, each with its own preallocated buffers, so a packet never changes
 * threads and nothing is allocated per packet. Outbound: drain the TUN (one read per packet or TSO super-packet,
 * until it is empty), seal each packet into a reused buffer, send the ESP packets of a wakeup with one
 * {@code sendmmsg} per transport (ESP in UDP as runs of equal-size datagrams, one UDP_SEGMENT message each).
 * Inbound: up to {@value #BATCH} raw ESP packets per {@code recvmmsg}, or a few UDP_GRO messages of many ESP-in-UDP
 * datagrams each ({@link UdpEspSocket}, sharing port 4500 with the runtime's IKE socket), opened into a reused
 * buffer, coalesced and written to the TUN. Without the UDP socket (a kernel that refuses the shared port) ESP in
 * UDP arrives on the runtime's loop thread and is opened there. The sans-IO {@link DataPlane} is shared by these
 * threads and the loop thread (which installs and removes SAs) under one lock held only around its calls: never
 * across a system call, so route changes (rtnetlink, {@link RtNetlink}) happen outside it. When the runtime moves
 * to a new outside address, the ESP sockets follow it.
 */
public final class LinuxDataPlane implements AutoCloseable {
    /** 1500 minus the largest ESP-in-UDP overhead of our suites (IPv4 20 + UDP 8 + ESP 8 + IV 16 + pad/trailer
     *  17 + ICV 32 = 101, rounded up). */
    public static final int TUN_MTU = 1396;
    /** Packets per recvmmsg/sendmmsg. */
    static final int BATCH = 32;
    /** UDP offload messages (up to 64 datagrams each) per recvmmsg/sendmmsg. */
    static final int UDP_BATCH = 8;
    /** Room for one sealed packet of the largest inner packet (fragmented ones go through the slow path). */
    private static final int SEALED_MAX = TunDevice.MAX_PACKET + 128;
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * TUN offloads (virtio_net_hdr, TSO4 and checksum on read, GSO on write): on unless
     * {@code -Dvpnrouter.tun.offloads=false}, the way to compare with and without.
     */
    static final boolean OFFLOADS = !"false".equals(System.getProperty("vpnrouter.tun.offloads"));

    private final RouterRuntime runtime;
    private final DataPlane dataPlane;
    private final ReentrantLock lock = new ReentrantLock();
    private final TunDevice tun;
    /** Replaced when the runtime moves to a new outside address. */
    private volatile RawEspSocket raw;
    /** ESP in UDP on the data threads; null when the kernel would not share port 4500 (then the runtime's path). */
    private volatile UdpEspSocket udp;
    private volatile RouteTable routeTable;
    /** One-time link setup (MTU, up, IPv6 off) with {@code ip}, in the namespace of the thread that starts us. */
    private final LinkConfig links = LinkConfig.current();
    /**
     * Routes that follow SAs, without starting a process: a socket opened by {@link #start}, so it acts in the
     * namespace {@link #links} acts in, and keeps acting there when another thread (a closing test) uses it.
     */
    private final RtNetlink netlink;
    /** The TUN's interface index, for routes into it (fixed for its life). */
    private final int tunIndex;
    private final Thread outboundThread;
    private final Thread inboundThread;
    private final Thread inboundUdpThread;
    private volatile boolean running = true;
    private Consumer<String> log = line -> { };
    /** Offload statistics, each written by one data thread (read racily, for reports). */
    private volatile long superPacketsRead;
    private volatile long superPacketsWritten;
    /** Guarded by {@link #lock}. */
    private long tunIn;
    private long tunOut;
    private long sendFailures;
    /** Datagrams on the ESP-in-UDP socket that were not ESP (IKE or a keepalive during a steering change). */
    private volatile long udpStrays;
    /** ESP-in-UDP messages of two datagrams or more: sent with UDP_SEGMENT, received coalesced by UDP_GRO. */
    private volatile long udpRunsSent;
    private volatile long udpRunsReceived;
    /** The loop thread's output buffer and coalescer for ESP in UDP. */
    private final byte[] udpInner = new byte[TunDevice.MAX_PACKET];
    private final TcpOffload.Coalescer udpCoalescer;

    private LinuxDataPlane(RouterRuntime runtime, DataPlane dataPlane, TunDevice tun, RawEspSocket raw,
            RtNetlink netlink, int tunIndex) {
        this.runtime = runtime;
        this.dataPlane = dataPlane;
        this.tun = tun;
        this.raw = raw;
        this.netlink = netlink;
        this.tunIndex = tunIndex;
        this.udpCoalescer = tun.offloads() ? new TcpOffload.Coalescer() : null;
        this.outboundThread = Thread.ofPlatform().name("vpnrouter-esp-out").daemon(true).unstarted(this::outboundLoop);
        this.inboundThread = Thread.ofPlatform().name("vpnrouter-esp-in").daemon(true).unstarted(this::inboundLoop);
        this.inboundUdpThread = Thread.ofPlatform().name("vpnrouter-esp-in-udp").daemon(true)
                .unstarted(this::inboundUdpLoop);
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
        dp.outsideAddress(runtime.address());
        TunDevice tun;
        try {
            tun = TunDevice.open(tunName, OFFLOADS);
        } catch (IOException e) {
            if (!OFFLOADS) {
                throw e;
            }
            // A kernel (or sandbox) without TUN offloads: one packet per read and write then.
            if (log != null) {
                log.accept("vpnrouter: TUN offloads unavailable (" + e.getMessage() + "), carrying on without");
            }
            tun = TunDevice.open(tunName, false);
        }
        RawEspSocket raw = null;
        RtNetlink netlink = null;
        int tunIndex;
        try {
            raw = RawEspSocket.open(runtime.address());
            raw.setReceiveBufferSize(4 << 20);
            netlink = RtNetlink.open();
            tunIndex = netlink.linkIndex(tun.name());
        } catch (IOException e) {
            tun.close();
            if (raw != null) {
                raw.close();
            }
            if (netlink != null) {
                netlink.close();
            }
            throw e;
        }
        LinuxDataPlane l = new LinuxDataPlane(runtime, dp, tun, raw, netlink, tunIndex);
        if (log != null) {
            l.log = log;
        }
        try {
            l.udp = l.openUdp(runtime.address());
            // One-time set-up, not on the SA path: these stay with `ip` (two processes at start).
            l.links.disableIpv6(tun.name());
            // Room for ESP (and UDP) headers inside a 1500-byte outside MTU: the kernel then does path MTU for
            // forwarded packets itself (its ICMP comes from a real router address, which ours written into the
            // TUN would not: a packet from one of the box's own addresses arriving on an interface is a martian).
            l.links.setMtu(tun.name(), TUN_MTU);
            l.links.up(tun.name());
            List<RtNetlink.RouteChange> statics = new ArrayList<>();
            for (TrafficSelector net : dp.staticRemoteNetworks()) {
                statics.add(RtNetlink.RouteChange.add(l.peerRoute(net)));
            }
            if (!statics.isEmpty()) {
                l.ensurePeerTable();
                List<RtNetlink.Failure> failures = netlink.apply(statics);
                if (!failures.isEmpty()) {
                    throw failures.getFirst().error();
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                l.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        runtime.addChildSaListener(new RouterRuntime.ChildSaListener() {
            @Override
            public void installed(ChildSa child) {
                l.install(child);
            }

            @Override
            public void deleted(ChildSa child, String reason) {
                l.remove(child);
            }
        });
        runtime.onEspInUdp(new RouterRuntime.EspInUdpHandler() {
            @Override
            public void receive(byte[] buffer, int off, int len, int fromAddress, int fromPort) {
                l.inboundUdp(buffer, off, len, fromAddress, fromPort);
            }

            @Override
            public void drained() {
                try {
                    l.flush(l.udpCoalescer);
                } catch (IOException e) {
                    l.log.accept("vpnrouter: TUN write failed: " + e.getMessage());
                }
            }
        });
        runtime.addAddressListener((oldAddress, newAddress) -> l.rebind(newAddress));
        l.outboundThread.start();
        l.inboundThread.start();
        l.inboundUdpThread.start();
        return l;
    }

    public String tunName() {
        return tun.name();
    }

    /**
     * The data plane itself, for views on the runtime's loop thread (the exec CLI): SAs are installed and removed
     * only there, so its SA tables are stable for them; the packet counters the data threads update may be read a
     * packet stale. Anything off the loop thread uses {@link #inspect}.
     */
    public DataPlane dataPlane() {
        return dataPlane;
    }

    /**
     * Runs {@code view} on the data plane under its lock (counters, SA status, flows) from any thread. Keep it
     * short: packets wait meanwhile.
     */
    public <T> T inspect(Function<DataPlane, T> view) {
        lock.lock();
        try {
            return view.apply(dataPlane);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ outbound: TUN -> ESP

    private void outboundLoop() {
        int h = tun.offloads() ? TcpOffload.VNET_HDR_LEN : 0;
        try (Arena arena = Arena.ofConfined(); PacketBatch batch = new PacketBatch(BATCH, 2048);
                PacketBatch udpBatch = UdpEspSocket.offloadsWanted() ? PacketBatch.withUdpOffload(UDP_BATCH)
                        : new PacketBatch(BATCH, 2048)) {
            MemorySegment tunBuffer = arena.allocate(TunDevice.MAX_PACKET + h);
            byte[] read = new byte[TunDevice.MAX_PACKET + h];
            byte[] segment = new byte[TunDevice.MAX_PACKET];
            SealTarget target = new SealTarget(SEALED_MAX);
            TcpOffload.Segmenter segmenter = new TcpOffload.Segmenter();
            while (running) {
                int n = tun.tryRead(tunBuffer);
                if (n == 0) {
                    // The queue is empty: send what this wakeup sealed, then sleep.
                    sendBatch(batch);
                    sendUdpBatch(udpBatch);
                    tun.awaitReadable(500);
                    continue;
                }
                MemorySegment.copy(tunBuffer, ValueLayout.JAVA_BYTE, 0, read, 0, n);
                if (h == 0) {
                    outbound(read, 0, n, target, batch, udpBatch);
                    continue;
                }
                if (n <= h) {
                    continue;
                }
                int gso = TcpOffload.gsoType(read, 0) & ~TcpOffload.GSO_ECN;
                if (gso == TcpOffload.GSO_TCPV4) {
                    // A TSO super-packet: cut it into MSS-sized segments here, as the NIC would have.
                    if (segmenter.reset(read, h, n - h, TcpOffload.gsoSize(read, 0))) {
                        superPacketsRead++;
                        int m;
                        while ((m = segmenter.next(segment, 0)) > 0) {
                            outbound(segment, 0, m, target, batch, udpBatch);
                        }
                    }
                    continue;
                }
                if (gso != TcpOffload.GSO_NONE) {
                    continue; // not offered (only TSO4), so not expected
                }
                if ((TcpOffload.flags(read, 0) & TcpOffload.F_NEEDS_CSUM) != 0
                        && !TcpOffload.completeChecksum(read, h, n - h, TcpOffload.csumStart(read, 0),
                                TcpOffload.csumOffset(read, 0))) {
                    continue;
                }
                outbound(read, h, n - h, target, batch, udpBatch);
            }
        } catch (ClosedChannelException e) {
            // closed: the end
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.accept("vpnrouter: outbound data thread stopped: " + e);
            }
        }
    }

    /** One cleartext packet from the TUN: sealed into the batch (sent when full), or the slow path. */
    private void outbound(byte[] packet, int off, int n, SealTarget target, PacketBatch batch, PacketBatch udpBatch)
            throws IOException {
        boolean sealed;
        List<DataPlaneEvent> events;
        lock.lock();
        try {
            tunIn++;
            sealed = dataPlane.outbound(packet, off, n, System.currentTimeMillis(), target);
            events = dataPlane.drainEvents();
        } finally {
            lock.unlock();
        }
        if (sealed) {
            if (target.udpEncapsulated()) {
                if (udp == null) {
                    runtime.sendEspInUdp(target.buffer(), 0, target.length(), target.peerAddress(),
                            target.peerPort());
                } else if (!udpBatch.addSegment(target.buffer(), 0, target.length(), target.peerAddress(),
                        target.peerPort())) {
                    sendUdpBatch(udpBatch);
                    udpBatch.addSegment(target.buffer(), 0, target.length(), target.peerAddress(),
                            target.peerPort());
                }
            } else if (target.length() <= batch.slotCapacity()) {
                batch.add(target.buffer(), 0, target.length(), target.peerAddress(), 0);
                if (batch.isFull()) {
                    sendBatch(batch);
                }
            } else {
                raw.send(target.peerAddress(), target.buffer(), 0, target.length());
            }
        } else {
            // Keep the packet order.
            sendBatch(batch);
            sendUdpBatch(udpBatch);
            handle(target.other());
        }
        dispatch(events);
    }

    private void sendBatch(PacketBatch batch) throws IOException {
        if (!batch.isEmpty()) {
            countSendFailures(raw.send(batch));
        }
    }

    private void sendUdpBatch(PacketBatch batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        UdpEspSocket socket = udp;
        if (socket == null) {
            batch.clear();
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.segments(i) > 1) {
                udpRunsSent++;
            }
        }
        try {
            countSendFailures(socket.send(batch));
        } catch (ClosedChannelException e) {
            batch.clear(); // rebound meanwhile: these few are lost, as on a renumbered interface
        }
    }

    private void countSendFailures(int failed) {
        if (failed > 0) {
            lock.lock();
            try {
                sendFailures += failed;
            } finally {
                lock.unlock();
            }
        }
    }

    /** The slow path's results: IKE to start, fragments, ICMP errors. Any thread. */
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
                case OutboundResult.Acquire a -> runtime.submit(e -> e.acquire(a.entry(), a.pair(),
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

    // ------------------------------------------------------------------ inbound: ESP -> TUN

    private void inboundLoop() {
        try (PacketBatch batch = new PacketBatch(BATCH, TunDevice.MAX_PACKET)) {
            byte[] esp = new byte[TunDevice.MAX_PACKET];
            byte[] inner = new byte[TunDevice.MAX_PACKET];
            TcpOffload.Coalescer coalescer = tun.offloads() ? new TcpOffload.Coalescer() : null;
            while (running) {
                RawEspSocket socket = raw;
                int count;
                try {
                    count = socket.receive(batch, 500);
                } catch (IOException e) {
                    if (socket != raw) {
                        continue; // rebound to a new address while we waited on the old socket
                    }
                    throw e;
                }
                for (int i = 0; i < count; i++) {
                    MemorySegment datagram = batch.data(i);
                    int at = RawEspSocket.espOffset(datagram, batch.length(i));
                    if (at < 0) {
                        continue;
                    }
                    int source = datagram.get(INT_BE, 12);
                    int len = batch.copyOut(i, at, esp, 0);
                    int n = open(esp, 0, len, source, 0, inner);
                    if (n <= 0) {
                        continue;
                    }
                    deliver(inner, n, coalescer);
                }
                if (coalescer != null) {
                    flush(coalescer);
                }
            }
        } catch (ClosedChannelException e) {
            // closed: the end
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.accept("vpnrouter: inbound data thread stopped: " + e);
            }
        }
    }

    /**
     * ESP in UDP from the data plane's own socket: each message may hold a run of datagrams the kernel coalesced
     * (UDP_GRO), cut here at the segment size. Survives the socket being replaced on an address change.
     */
    private void inboundUdpLoop() {
        try (PacketBatch batch = UdpEspSocket.offloadsWanted() ? PacketBatch.withUdpOffload(UDP_BATCH)
                : new PacketBatch(BATCH, TunDevice.MAX_PACKET)) {
            byte[] message = new byte[batch.slotCapacity()];
            byte[] inner = new byte[TunDevice.MAX_PACKET];
            TcpOffload.Coalescer coalescer = tun.offloads() ? new TcpOffload.Coalescer() : null;
            while (running) {
                UdpEspSocket socket = udp;
                if (socket == null) {
                    Thread.sleep(200); // no shared port here (yet): the runtime's loop thread carries ESP in UDP
                    continue;
                }
                int count;
                try {
                    count = socket.receive(batch, 500);
                } catch (IOException e) {
                    if (socket != udp || !running) {
                        continue; // replaced on an address change while we waited on it
                    }
                    throw e;
                }
                for (int i = 0; i < count; i++) {
                    int from = batch.address(i);
                    int fromPort = batch.port(i);
                    int len = batch.copyOut(i, 0, message, 0);
                    int step = batch.segmentSize(i);
                    if (step < len) {
                        udpRunsReceived++;
                    }
                    for (int at = 0; at < len; at += step) {
                        int n = Math.min(step, len - at);
                        if (n < 8 || (message[at] | message[at + 1] | message[at + 2] | message[at + 3]) == 0) {
                            udpStrays++; // a keepalive or IKE steered here while the group changed
                            continue;
                        }
                        int m = open(message, at, n, from, fromPort, inner);
                        if (m > 0) {
                            deliver(inner, m, coalescer);
                        }
                    }
                }
                flush(coalescer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) {
                log.accept("vpnrouter: inbound ESP-in-UDP thread stopped: " + e);
            }
        }
    }

    /**
     * The data plane's ESP-in-UDP socket on {@code address}:4500, beside the runtime's (bound before, so first in
     * the port's group); null, with a line in the log, where the kernel will not share the port or steer it.
     */
    private UdpEspSocket openUdp(int address) {
        try {
            return UdpEspSocket.open(address, UdpEndpoint.NAT_T_PORT);
        } catch (IOException e) {
            log.accept("vpnrouter: ESP in UDP stays on the IKE socket (" + e.getMessage() + ")");
            return null;
        }
    }

    /** An opened inner packet into the TUN, joined to the pending super-packet when it continues it. */
    private void deliver(byte[] inner, int n, TcpOffload.Coalescer coalescer) throws IOException {
        if (coalescer == null) {
            tun.write(inner, 0, n);
        } else if (!coalescer.append(inner, 0, n)) {
            // GRO by hand: one GSO write per run of TCP segments of a flow, one ACK back for it.
            flush(coalescer);
            if (!coalescer.start(inner, 0, n)) {
                tun.write(inner, 0, n);
            }
        }
    }

    private void flush(TcpOffload.Coalescer coalescer) throws IOException {
        if (coalescer == null) {
            return;
        }
        if (coalescer.segments() > 1) {
            superPacketsWritten++;
        }
        int n = coalescer.finish();
        if (n > 0) {
            tun.writeWithHeader(coalescer.buffer(), 0, n);
        }
    }

    /** ESP in UDP from the runtime, on its loop thread (the buffer is the runtime's, reused). */
    private void inboundUdp(byte[] buffer, int off, int len, int from, int fromPort) {
        try {
            int n = open(buffer, off, len, from, fromPort, udpInner);
            if (n > 0) {
                deliver(udpInner, n, udpCoalescer);
            }
        } catch (IOException e) {
            log.accept("vpnrouter: TUN write failed: " + e.getMessage());
        }
    }

    /** Opens one ESP packet into {@code inner}: the inner packet's length, or &lt;= 0 when dropped. */
    private int open(byte[] esp, int off, int len, int from, int fromPort, byte[] inner) {
        int n;
        List<DataPlaneEvent> events;
        lock.lock();
        try {
            n = dataPlane.open(esp, off, len, from, fromPort, System.currentTimeMillis(), inner, 0);
            if (n > 0) {
                tunOut++;
            }
            events = dataPlane.drainEvents();
        } finally {
            lock.unlock();
        }
        dispatch(events);
        return n;
    }

    /** On the loop thread: the ESP sockets follow the outside address (the old sockets' address is gone). */
    private void rebind(int newAddress) {
        inspect(dp -> {
            dp.outsideAddress(newAddress);
            return null;
        });
        UdpEspSocket oldUdp = udp;
        udp = openUdp(newAddress);
        if (oldUdp != null) {
            oldUdp.close();
        }
        RawEspSocket old = raw;
        try {
            RawEspSocket fresh = RawEspSocket.open(newAddress);
            fresh.setReceiveBufferSize(4 << 20);
            raw = fresh;
            old.close();
        } catch (IOException e) {
            log.accept("vpnrouter: raw ESP stays on the old address: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ events

    /**
     * On the loop thread, the only one that installs and removes SAs, so what the data plane says about routes
     * cannot change between the steps here. The route toward the remote network goes in before the data threads
     * can open anything with the new SA: else the first answer from our LAN would leave in clear by the default
     * route. The route is a system call, so it goes in first and outside the lock the data threads take per
     * packet; until the SA follows, a packet the route brings into the TUN finds no SA and waits for it (a static
     * entry) or is dropped, as it would have been without the route.
     */
    private void install(ChildSa child) {
        TrafficSelector remote = child.remote();
        boolean routed;
        lock.lock();
        try {
            routed = dataPlane.isProtected(remote);
        } finally {
            lock.unlock();
        }
        boolean routedFirst = !routed && applyRoutes(Map.of(remote, 1));
        List<OutboundResult> waiting;
        List<DataPlaneEvent> events;
        lock.lock();
        try {
            waiting = dataPlane.install(child, System.currentTimeMillis());
            events = new ArrayList<>(dataPlane.drainEvents());
        } finally {
            lock.unlock();
        }
        if (!routed) {
            // Its RouteAdded is the route put in above (whether that worked or was logged as failed); an install
            // that failed has none, and the route comes out again.
            boolean added = events.removeIf(e -> e instanceof DataPlaneEvent.RouteAdded a
                    && a.route().network().equals(remote));
            if (!added && routedFirst) {
                events.add(new DataPlaneEvent.RouteRemoved(new ProtectedRoute(remote,
                        child.peerAddress(), false)));
            }
        }
        dispatch(events);
        for (OutboundResult r : waiting) {
            handle(r);
        }
    }

    /** On the loop thread: the SA goes, then (outside the lock) its route when no other SA protects the network. */
    private void remove(ChildSa child) {
        List<DataPlaneEvent> events;
        lock.lock();
        try {
            dataPlane.remove(child);
            events = dataPlane.drainEvents();
        } finally {
            lock.unlock();
        }
        dispatch(events);
    }

    /**
     * Outside the lock: volume limits go back to the engine; route changes (which come only from installs and
     * removals on the loop thread) go to the kernel as one batch, a network added and removed in the same step
     * not at all.
     */
    private void dispatch(List<DataPlaneEvent> events) {
        Map<TrafficSelector, Integer> routes = null;
        for (DataPlaneEvent event : events) {
            switch (event) {
                case DataPlaneEvent.RouteAdded a -> {
                    routes = routes == null ? new LinkedHashMap<>() : routes;
                    routes.merge(a.route().network(), 1, Integer::sum);
                }
                case DataPlaneEvent.RouteRemoved r -> {
                    routes = routes == null ? new LinkedHashMap<>() : routes;
                    routes.merge(r.route().network(), -1, Integer::sum);
                }
                case DataPlaneEvent.RekeyNeeded n -> runtime.submit(e -> e.rekeyChild(n.child().id(),
                        System.currentTimeMillis()));
                case DataPlaneEvent.Expired x -> runtime.submit(e -> e.expireChild(x.child().id(),
                        "kilobyte lifetime expired", System.currentTimeMillis()));
                case DataPlaneEvent.Message m -> runtime.message(m.message());
                default -> log.accept("vpnrouter: " + event);
            }
        }
        if (routes != null) {
            applyRoutes(routes);
        }
    }

    /**
     * Net route changes (+1: route the network into the TUN, -1: no longer, 0: nothing), never under the lock.
     * With a {@link RouteTable} of its own (our VPN client) they go there; else static crypto map networks are
     * left alone (routed into the TUN from the start) and the rest go to {@link #PEER_TABLE} in one batch.
     * Returns false when a change failed (logged).
     */
    private boolean applyRoutes(Map<TrafficSelector, Integer> delta) {
        RouteTable table = routeTable;
        if (table != null) {
            boolean ok = true;
            for (Map.Entry<TrafficSelector, Integer> e : delta.entrySet()) {
                try {
                    if (e.getValue() > 0) {
                        table.add(e.getKey());
                    } else if (e.getValue() < 0) {
                        table.remove(e.getKey());
                    }
                } catch (IOException x) {
                    log.accept("vpnrouter: route change failed: " + x.getMessage());
                    ok = false;
                }
            }
            return ok;
        }
        List<TrafficSelector> statics = inspect(DataPlane::staticRemoteNetworks);
        List<RtNetlink.RouteChange> changes = new ArrayList<>(delta.size());
        for (Map.Entry<TrafficSelector, Integer> e : delta.entrySet()) {
            if (e.getValue() != 0 && !statics.contains(e.getKey())) {
                changes.add(new RtNetlink.RouteChange(e.getValue() > 0, peerRoute(e.getKey())));
            }
        }
        return applyPeerRoutes(changes);
    }

    /** Sends route changes for {@link #PEER_TABLE} as one batch; failures are logged. */
    private boolean applyPeerRoutes(List<RtNetlink.RouteChange> changes) {
        if (changes.isEmpty()) {
            return true;
        }
        try {
            ensurePeerTable();
            List<RtNetlink.Failure> failures = netlink.apply(changes);
            for (RtNetlink.Failure f : failures) {
                log.accept("vpnrouter: route change failed: " + f.error().getMessage());
            }
            return failures.isEmpty();
        } catch (IOException e) {
            log.accept("vpnrouter: route change failed: " + e.getMessage());
            return false;
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
        routeTable = table;
    }

    /**
     * A new crypto map for the data plane: a VPN client's selectors from Mode Config, or the router's after
     * {@code configure terminal}. Without a {@link RouteTable} of its own, the static entries' remote networks
     * follow: new ones are routed into the TUN (so their first packet triggers IKE), dropped ones leave it unless
     * a live SA still protects them (its route goes with the SA).
     */
    public void setCryptoMap(List<dev.vpnrouter.ike.cfg.ChildPolicy> cryptoMap) {
        List<TrafficSelector> before;
        List<TrafficSelector> after;
        List<TrafficSelector> live = new java.util.ArrayList<>();
        List<DataPlaneEvent> events;
        lock.lock();
        try {
            before = dataPlane.staticRemoteNetworks();
            dataPlane.setCryptoMap(cryptoMap);
            after = dataPlane.staticRemoteNetworks();
            dataPlane.protectedRoutes().forEach(r -> live.add(r.network()));
            events = dataPlane.drainEvents();
        } finally {
            lock.unlock();
        }
        dispatch(events);
        if (routeTable != null) {
            return;
        }
        List<RtNetlink.RouteChange> changes = new ArrayList<>();
        for (TrafficSelector net : after) {
            if (!before.contains(net) && !live.contains(net)) {
                changes.add(RtNetlink.RouteChange.add(peerRoute(net)));
            }
        }
        for (TrafficSelector net : before) {
            if (!after.contains(net) && !live.contains(net)) {
                changes.add(RtNetlink.RouteChange.delete(peerRoute(net)));
            }
        }
        applyPeerRoutes(changes);
    }

    /**
     * Peers' networks go into vpnrouter's own routing table ({@link #PEER_TABLE}, consulted before main by one
     * rule), added and never replaced: the router's own routes (default, connected, its way to its IKE peers) are
     * never touched, and removing a peer's route can never take one of them away. What a peer may claim at all is
     * decided before its SA exists ({@code CryptoMapDecision}).
     */
    private RtNetlink.Route peerRoute(TrafficSelector network) {
        return RtNetlink.Route.dev(network.address(), Ipv4.prefixLength(network.mask()), tunIndex, PEER_TABLE);
    }

    /**
     * The first route into {@link #PEER_TABLE} claims it: emptied (left by an earlier run), one rule, and the
     * rules that keep the router's own IKE and ESP on the main table. A peer's network may cover another peer's
     * outside address (a static crypto ACL can say so, or a spoke claims a network a peer not yet up sits in), and
     * IOS never encrypts its own IKE or ESP: without them the way to that peer would lead into the TUN.
     */
    private void ensurePeerTable() throws IOException {
        if (!peerTableReady) {
            netlink.ownRoutingTable(PEER_TABLE, OWN_TRAFFIC);
            peerTableReady = true;
        }
    }

    /** vpnrouter's routing table for peers' networks, and the priority of the rule that consults it. */
    public static final int PEER_TABLE = 4500;
    /** The router's own protocol traffic: IKE, NAT-T (IKE and ESP in UDP) and ESP. */
    private static final List<RtNetlink.LocalTraffic> OWN_TRAFFIC = List.of(
            new RtNetlink.LocalTraffic(Ipv4Packet.UDP, UdpEndpoint.IKE_PORT),
            new RtNetlink.LocalTraffic(Ipv4Packet.UDP, UdpEndpoint.NAT_T_PORT),
            new RtNetlink.LocalTraffic(Ipv4Packet.ESP, 0));
    /** Set on the loop thread (or in start), read by close. */
    private volatile boolean peerTableReady;

    /** Packets read from the TUN (cleartext from the inside). */
    public long packetsFromTun() {
        return inspect(dp -> tunIn);
    }

    /** Packets opened and written to the TUN. */
    public long packetsToTun() {
        return inspect(dp -> tunOut);
    }

    /** TSO super-packets read from the TUN and split so far. */
    public long superPacketsRead() {
        return superPacketsRead;
    }

    /** GSO super-packets (two segments or more) coalesced and written to the TUN so far. */
    public long superPacketsWritten() {
        return superPacketsWritten;
    }

    /** TSO super-packets read from the TUN and split; GSO super-packets coalesced and written. */
    public String offloadSummary() {
        UdpEspSocket u = udp;
        return "TUN offloads " + (tun.offloads() ? "on" : "off") + ": " + superPacketsRead + " TSO reads, "
                + superPacketsWritten + " GSO writes; ESP in UDP "
                + (u == null ? "on the IKE socket" : "on its own socket (GSO " + (u.gso() ? "on" : "off") + ", GRO "
                        + (u.gro() ? "on" : "off") + "): " + udpRunsSent + " runs sent, " + udpRunsReceived
                        + " runs received");
    }

    /** Whether ESP in UDP has its own socket and data thread (else it shares the runtime's loop thread). */
    public boolean espInUdpOffloaded() {
        return udp != null;
    }

    /** ESP-in-UDP messages of several datagrams sent with UDP_SEGMENT so far. */
    public long udpRunsSent() {
        return udpRunsSent;
    }

    /** ESP-in-UDP messages of several datagrams the kernel coalesced (UDP_GRO) and we received so far. */
    public long udpRunsReceived() {
        return udpRunsReceived;
    }

    /** Non-ESP datagrams that reached the ESP-in-UDP socket (0 when steering works). */
    public long udpStrays() {
        return udpStrays;
    }

    /** Sealed packets the kernel refused to send. */
    public long sendFailures() {
        return inspect(dp -> sendFailures);
    }

    @Override
    public void close() throws IOException {
        running = false;
        tun.close();
        try {
            if (peerTableReady) {
                netlink.dropRoutingTable(PEER_TABLE); // in our namespace, whichever thread closes
            }
        } finally {
            netlink.close();
            raw.close();
            UdpEspSocket u = udp;
            if (u != null) {
                u.close();
            }
            try {
                outboundThread.join(2_000);
                inboundThread.join(2_000);
                inboundUdpThread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
