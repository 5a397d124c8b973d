package dev.vpnrouter.router;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.Datagram;
import dev.vpnrouter.ike.HostCore;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.net.UdpEndpoint;
import dev.vpnrouter.net.UdpIkeSocket;
import dev.vpnrouter.policy.UserAuthorization;
import dev.vpnrouter.radius.RadiusLogins;
import dev.vpnrouter.syslog.IosMessages;
import dev.vpnrouter.syslog.RouterMessage;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The real-time host of one {@link IkeEngine} on Linux: UDP 500 and 4500 on the outside address (each an
 * {@link IkePort}: our socket and a reader thread queueing for the loop), one event-loop thread (a Selector, used
 * only to wait until the engine's next timer or a wakeup), the wall clock. The engine is touched only by that
 * thread; other threads hand it work with {@link #submit}. ESP from the data plane plugs in through
 * {@link ChildSaListener} and {@link #onEspInUdp}; {@link #changeAddress} moves the router to a new outside
 * address (a DHCP renumbering) and tells {@link AddressListener}s.
 *
 * <p>A failed send (no route while a DHCP client reconfigures the interface, a full buffer) is logged and counted,
 * never fatal: the engine retransmits.
 */
public final class RouterRuntime implements AutoCloseable, AddressWatcher.Target {
    /** Told when the engine installs or removes an SA pair (the data plane's hook). Runs on the loop thread. */
    public interface ChildSaListener {
        void installed(ChildSa child);

        void deleted(ChildSa child, String reason);
    }

    /** Told, on the loop thread, after the runtime moved to a new outside address (sockets already rebound). */
    public interface AddressListener {
        void moved(int oldAddress, int newAddress);
    }

    /** Receives ESP-in-UDP (RFC 3948) that arrived on 4500, on the loop thread. */
    public interface EspInUdpHandler {
        /** {@code buffer[off, off+len)}, valid only during the call (the buffer is reused). */
        void receive(byte[] buffer, int off, int len, int fromAddress, int fromPort);

        /** The socket has nothing more for now: a handler that holds packets back (to coalesce) sends them. */
        default void drained() {
        }
    }

    /** What {@link #changeAddress} did: SAs torn down, and whether their Deletes could leave from the old address. */
    public record AddressChange(int oldAddress, int newAddress, int ikeSasDeleted, int deletesFromOldAddress,
            int deletesFromNewAddress, boolean reconnecting) {
    }

    private final IkeEngine engine;
    /** What the lab's routers do too: sorting 4500, effects, the address move, acquires, reconnects. */
    private final HostCore core;
    private volatile int address;
    /** Peers with an established ISAKMP SA: their first messages skip the readers' per-source budget. */
    private final KnownPeers knownPeers = new KnownPeers();
    private volatile IkePort ike;
    private volatile IkePort natT;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<ChildSaListener> listeners = new CopyOnWriteArrayList<>();
    private final List<AddressListener> addressListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<IkeEffect>> effectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RouterMessage>> messageListeners = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile boolean running = true;
    private volatile boolean closed;
    private Consumer<String> debugSink = line -> { };
    private volatile Consumer<String> log;
    private volatile EspInUdpHandler espInUdp = (esp, off, len, from, port) -> { };
    private Writer keyLog;
    private volatile long received;
    private volatile long sent;
    private volatile long sendFailures;
    private volatile Throwable failure;
    // While changeAddress drains the Deletes of the old address: its sockets, tried first.
    private UdpIkeSocket retiringIke;
    private UdpIkeSocket retiringNatT;
    private int retiringAddress;
    private int deletesFromOld;
    private int deletesFromNew;

    /**
     * What the loop sends, per port, leaves in {@code sendmmsg} batches: after each helping from a port, after the
     * tasks, and the timers' at the next turn's start, before the loop waits (and when a batch is full), so a turn's
     * answers cost one system call, not one each.
     * A datagram larger than a slot goes alone.
     */
    private static final int SEND_BATCH = 64;
    private static final int SEND_SLOT = 4_096;
    private final dev.vpnrouter.net.PacketBatch ikeOut = new dev.vpnrouter.net.PacketBatch(SEND_BATCH, SEND_SLOT);
    private final dev.vpnrouter.net.PacketBatch natTOut = new dev.vpnrouter.net.PacketBatch(SEND_BATCH, SEND_SLOT);

    /** Datagrams other than Informationals taken from each port per loop turn, before tasks and timers run. */
    static final int DATAGRAMS_PER_TURN = 16;

    private RouterRuntime(IkeEngine engine, int address, Selector selector) {
        this.engine = engine;
        this.core = new HostCore(engine, new Shell());
        this.address = address;
        this.selector = selector;
        this.loop = Thread.ofPlatform().name("vpnrouter-ike").daemon(true).unstarted(this::loop);
    }

    /**
     * Binds UDP 500 and 4500 on {@code address} (in the calling thread's network namespace) and starts the loop.
     * A second instance on the same address fails here with a message naming the taken port.
     */
    public static RouterRuntime start(EnginePolicy policy, int address, SecureRandom random) throws IOException {
        return start(address, a -> new IkeEngine(policy, a, random), null, null);
    }

    /**
     * As {@link #start(EnginePolicy, int, SecureRandom)} with the engine built by the caller, an optional key log
     * file (tshark's {@code ikev1_decryption_table} format: initiator cookie, Ka) and a debug sink (also the
     * runtime's own messages until {@link #logTo} says otherwise).
     */
    public static RouterRuntime start(int address, Function<Integer, IkeEngine> engineFactory, Path keyLogFile,
            Consumer<String> debug) throws IOException {
        Selector selector = Selector.open();
        RouterRuntime r = null;
        try {
            IkeEngine engine = engineFactory.apply(address);
            r = new RouterRuntime(engine, address, selector);
            r.log = debug != null ? debug : line -> { };
            r.bind(address);
            if (debug != null) {
                r.debugSink = debug;
                engine.setDebug(true);
            }
            if (keyLogFile != null) {
                engine.setKeyLog(true);
                r.keyLog = dev.vpnrouter.config.PrivateFiles.append(keyLogFile); // secrets: 0600
            }
        } catch (IOException | RuntimeException e) {
            if (r != null) {
                closeQuietly(r.ike);
                closeQuietly(r.natT);
            }
            selector.close();
            throw e;
        }
        r.loop.start();
        return r;
    }

    /**
     * Binds 500 and 4500 on {@code newAddress} and makes them the runtime's ports. Each is a steered pair (first
     * messages apart from datagrams carrying our cookie, so a flood of forged first messages overflows only its own
     * buffer; its probe keeps a second router out); on 4500 the data plane's ESP-in-UDP socket joins the group as
     * socket 2 (see {@link dev.vpnrouter.net.UdpEspSocket}).
     */
    private void bind(int newAddress) throws IOException {
        IkePort newIke = IkePort.openSteered(newAddress, UdpEndpoint.IKE_PORT, selector::wakeup, this::say,
                knownPeers::contains);
        IkePort newNatT;
        try {
            newNatT = IkePort.openSteered(newAddress, UdpEndpoint.NAT_T_PORT, selector::wakeup, this::say,
                    knownPeers::contains);
        } catch (IOException | RuntimeException e) {
            newIke.close();
            throw e;
        }
        this.ike = newIke;
        this.natT = newNatT;
    }

    /** Where the runtime's own messages go (address changes, send failures, the loop stopping). */
    public void logTo(Consumer<String> sink) {
        this.log = sink;
    }

    /** One line for the log: what this instance listens on, and the receive buffer the kernel granted. */
    public String summary() {
        String buffer;
        try {
            UdpIkeSocket s = ike.socket();
            buffer = s.receiveBufferBytes() / 1024 + " KiB receive buffer"
                    + (s.forcedBuffer() ? "" : " (no SO_RCVBUFFORCE without CAP_NET_ADMIN: net.core.rmem_max caps it)");
        } catch (IOException e) {
            buffer = "receive buffer unknown: " + e.getMessage();
        }
        return "vpnrouter: " + engine.policy().hostname() + " listening for IKE on " + Ipv4.format(address)
                + " udp/500 and udp/4500 (NAT-T), " + buffer;
    }

    /** Adds a listener; it is first told of every SA pair already installed, so a late data plane misses none. */
    public void addChildSaListener(ChildSaListener listener) {
        submit(e -> {
            listeners.add(listener);
            e.childSas().forEach(listener::installed);
        });
    }

    /** Sees every effect of the engine before the runtime carries it out, on the loop thread. */
    public void addEffectListener(Consumer<IkeEffect> listener) {
        submit(e -> effectListeners.add(listener));
    }

    /** Receives the router's messages (the engine's, the data plane's, its own), on the loop thread. */
    public void addMessageListener(Consumer<RouterMessage> listener) {
        submit(e -> messageListeners.add(listener));
    }

    /** A message from outside the engine (the data plane, start-up): logged on the loop thread. Any thread. */
    public void message(RouterMessage message) {
        submit(e -> messageListeners.forEach(l -> l.accept(message)));
    }

    public void addAddressListener(AddressListener listener) {
        addressListeners.add(listener);
    }

    /** ESP-in-UDP arriving on 4500 (non-zero marker) goes to {@code handler} from now on, on the loop thread. */
    public void onEspInUdp(EspInUdpHandler handler) {
        espInUdp = handler;
    }

    /** Sends ESP in UDP from port 4500 (RFC 3948: no marker). Call on the loop thread. */
    public void sendEspInUdp(byte[] esp, int peerAddress, int peerPort) throws IOException {
        sendEspInUdp(esp, 0, esp.length, peerAddress, peerPort);
    }

    /**
     * Sends {@code esp[off, off+len)} in UDP from port 4500. Any thread. A full send buffer drops the packet, as
     * the kernel drops one it cannot queue.
     */
    public void sendEspInUdp(byte[] esp, int off, int len, int peerAddress, int peerPort) throws IOException {
        natT.socket().send(esp, off, len, peerAddress, peerPort);
    }

    /** The outside address the runtime listens on now. */
    @Override
    public int address() {
        return address;
    }

    /** True while the loop runs. */
    public boolean isRunning() {
        return running && loop.isAlive();
    }

    /** What stopped the loop unexpectedly, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Runs {@code action} on the loop thread with the engine, then carries out what it asked for. */
    public void submit(Consumer<IkeEngine> action) {
        tasks.add(() -> action.accept(engine));
        selector.wakeup();
    }

    /** Runs {@code query} on the loop thread and waits for its answer (for show commands and tests). */
    public <T> T query(Function<IkeEngine, T> query) {
        if (Thread.currentThread() == loop) {
            return query.apply(engine);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(e -> {
            try {
                result.complete(query.apply(e));
            } catch (RuntimeException ex) {
                result.completeExceptionally(ex);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the IKE loop did not answer: " + e, e);
        }
    }

    /**
     * The outside address changed (the DHCP client took a new lease). On the loop thread: binds 500/4500 on
     * {@code newAddress} (nothing changes when that fails: the future says false); deletes every SA, sending the
     * Deletes from the old address while it still works and else from the new one (a peer finds the ISAKMP SA by
     * its cookies, so it still clears it); moves the engine and the sockets; tells the {@link AddressListener}s
     * (the data plane rebinds raw ESP); and, when an ISAKMP SA was up and the crypto map has static entries,
     * brings them up again {@link HostCore#RECONNECT_DELAY_MILLIS} later (unless the peer did first or traffic did) instead
     * of waiting for the next packet.
     */
    @Override
    public CompletableFuture<AddressChange> changeAddress(int newAddress) {
        CompletableFuture<AddressChange> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(move(newAddress));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return result;
    }

    private AddressChange move(int newAddress) throws IOException {
        flushSends(); // what waits was meant for the sockets about to retire
        int old = address;
        if (newAddress == old) {
            return new AddressChange(old, old, 0, 0, 0, false);
        }
        IkePort oldIke = ike;
        IkePort oldNatT = natT;
        bind(newAddress);
        long now = System.currentTimeMillis();
        retiringIke = oldIke.socket();
        retiringNatT = oldNatT.socket();
        retiringAddress = old;
        deletesFromOld = 0;
        deletesFromNew = 0;
        HostCore.Move move;
        try {
            move = core.move(newAddress, now); // the Deletes go out through send(), old sockets first
        } finally {
            // What the old ports still queue was sent to an address the router no longer has: dropped.
            // Their drop counts stay in the totals: a counter never goes back.
            retiredQueueDrops += oldIke.intake().drops() + oldNatT.intake().drops();
            retiredKernelDrops += oldIke.kernelDrops() + oldNatT.kernelDrops();
            retiredProvenKernelDrops += oldIke.provenKernelDrops() + oldNatT.provenKernelDrops();
            retiredAdmissionDrops += oldIke.admissionDrops() + oldNatT.admissionDrops();
            closeQuietly(oldIke);
            closeQuietly(oldNatT);
            retiringIke = null;
            retiringNatT = null;
        }
        address = newAddress;
        for (AddressListener l : addressListeners) {
            try {
                l.moved(old, newAddress);
            } catch (RuntimeException e) {
                say("vpnrouter: address listener failed: " + e);
            }
        }
        AddressChange change = new AddressChange(old, newAddress, move.ikeSasDeleted(), deletesFromOld,
                deletesFromNew, move.reconnecting());
        say("vpnrouter: outside address changed from " + Ipv4.format(old) + " to " + Ipv4.format(newAddress)
                + ": " + move.ikeSasDeleted() + " ISAKMP SA(s) deleted (Deletes sent: " + deletesFromOld + " from "
                + Ipv4.format(old) + ", " + deletesFromNew + " from " + Ipv4.format(newAddress) + "); now listening"
                + " on " + Ipv4.format(newAddress) + " udp/500 and udp/4500"
                + (move.reconnecting() ? "; bringing the static crypto map entries up again in "
                + HostCore.RECONNECT_DELAY_MILLIS / 1000 + " s unless the peer does first" : ""));
        return change;
    }

    private void loop() {
        try {
            while (running) {
                flushSends(); // what the last turn's timers sent
                long now = System.currentTimeMillis();
                long next = core.nextTimerMillis();
                long wait = next == Long.MAX_VALUE ? 1_000 : Math.max(1, Math.min(1_000, next - now));
                IkePort ikePort = ike;
                IkePort natTPort = natT;
                if ((stopping != null || ikePort.intake().isEmpty() && natTPort.intake().isEmpty()) && tasks.isEmpty()) {
                    selector.select(wait);
                } else {
                    selector.selectNow(); // clears a pending wakeup; there is work already
                }
                if (stopping == null) { // a stopping router takes no new IKE work while it flushes accounting
                    serve(ikePort, UdpEndpoint.IKE_PORT);
                    serve(natTPort, UdpEndpoint.NAT_T_PORT);
                }
                Runnable task;
                while (running && (task = tasks.poll()) != null) {
                    task.run();
                    core.carryOut();
                }
                flushSends(); // a shutdown's Deletes too, before the loop ends
                now = System.currentTimeMillis();
                if (running) {
                    core.tick(now);
                    accountant.pump(radius, now);
                    if (stopping != null && (accountant.waiting() == 0 || now >= stopFlushDeadline)) {
                        stopped();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            running = false;
            say("vpnrouter: IKE loop stopped: " + e);
        }
    }

    /**
     * One helping from a port: its Informationals first, then at most {@link #DATAGRAMS_PER_TURN} others (bounded,
     * so Diffie-Hellman work cannot starve tasks, timers or a DPD answer; see {@link IkeIntake}).
     */
    private void serve(IkePort port, int portNumber) {
        int n = port.intake().serve(d -> core.receiveUdp(d.data(), 0, d.data().length, d.fromAddress(),
                d.fromPort(), address, portNumber, System.currentTimeMillis()), DATAGRAMS_PER_TURN);
        received += n;
        flushSends(); // this helping's answers
        if (n > 0 && portNumber == UdpEndpoint.NAT_T_PORT) {
            espInUdp.drained(); // what a handler holds back (to coalesce) goes now
        }
    }

    /**
     * Xauth through the configuration's RADIUS groups: the router's one client when {@code run} hands it over
     * ({@link #useRadius}), else one of this runtime's own (its socket made when a login list first asks).
     */
    private volatile RadiusLogins radius =
            new RadiusLogins(dev.vpnrouter.config.RadiusGroups.NONE);
    private volatile boolean ownsRadius = true;

    /** Xauth asks {@code shared} from now on; its owner closes it. Call before the first login. */
    public void useRadius(RadiusLogins shared) {
        RadiusLogins own = radius;
        radius = shared;
        if (ownsRadius) {
            own.close();
        }
        ownsRadius = false;
    }

    /** VPN sessions' accounting records, queued per RADIUS group and sent through {@link #radius}. Loop only. */
    private final SessionAccountant accountant = new SessionAccountant(r -> submit(e -> r.run()));

    /**
     * Where accounting reads an IPsec SA's traffic ({@code run}: the data plane's SA counters); called on the
     * loop, before the SA is deleted. Call before the first session.
     */
    public void useSessionCounters(Function<dev.vpnrouter.ike.ChildSa, long[]> counters) {
        submit(e -> accountant.useCounters(c -> {
            long[] k = counters.apply(c);
            return k == null ? null : new SessionAccountant.ChildCounters(k[0], k[1], k[2], k[3]);
        }));
    }

    /** The RADIUS client Xauth asks. */
    public RadiusLogins radius() {
        return radius;
    }

    /** The router's one RADIUS client, brought up to date with the servers the policy names. */
    private RadiusLogins radiusFor(EnginePolicy policy) {
        radius.update(policy.radiusGroups());
        return radius;
    }

    /**
     * Works an answer out on a thread of its own (RADIUS may take seconds; the loop never waits), then hands it to
     * the loop. A bug while asking answers null, which every caller takes as a refusal.
     */
    private <T> void askOffLoop(String threadName, Supplier<T> ask, Consumer<T> onLoop) {
        Thread.ofVirtual().name(threadName).start(() -> {
            T answer;
            try {
                answer = ask.get();
            } catch (RuntimeException e) {
                answer = null;
            }
            T settled = answer;
            submit(e -> onLoop.accept(settled));
        });
    }

    /** The core's effects, on this host: sockets, the data plane's listeners, logs, the key log. */
    private final class Shell implements HostCore.Shell {
        /**
         * Asks the login list off the loop (or, for the answer to a challenge, the challenging group alone); a
         * server's Accept brings its attributes with the verdict, its Access-Challenge goes to Xauth as a question.
         */
        @Override
        public void authenticate(IkeEffect.Authenticate request) {
            EnginePolicy policy = engine.policy();
            RadiusLogins radius = radiusFor(policy);
            int nas = address;
            String calling = Ipv4.format(request.peerAddress());
            // What the servers said: a UserAuthorization (in), a LoginChallenge, or null (refused).
            askOffLoop("vpnrouter-xauth-" + request.connId(), () -> {
                if (request.answering() != null) {
                    RadiusLogins.Verdict v = radius.answer(request.answering(), request.user(), request.password(),
                            nas, calling);
                    Object challenge = v.challenge(request.answering().group()).orElse(null);
                    return challenge != null ? challenge
                            : v.result() == dev.vpnrouter.policy.LoginMethods.Result.PASS ? v.authorization(request.user()) : null;
                }
                AtomicReference<Object> said = new AtomicReference<>(UserAuthorization.NONE);
                boolean passed = policy.authenticate(request.list(), request.user(), request.password(), group -> {
                    RadiusLogins.Verdict v = radius.authenticate(group, request.user(), request.password(), nas,
                            calling);
                    said.set(v.challenge(group).map(Object.class::cast).orElse(v.authorization(request.user())));
                    return v.result();
                });
                // A challenge is a FAIL for the list (a server answered): it ended the list where it was said.
                return passed || said.get() instanceof dev.vpnrouter.policy.LoginChallenge ? said.get() : null;
            }, answer -> {
                long now = System.currentTimeMillis();
                switch (answer) {
                    case dev.vpnrouter.policy.LoginChallenge c -> core.challenged(request, c, now);
                    case UserAuthorization granted -> core.authenticated(request, true, granted, now);
                    case null, default -> core.authenticated(request, false, UserAuthorization.NONE, now);
                }
            });
        }

        /** Reads the session's counters now, on the loop; the record is queued and sent off it. */
        @Override
        public void account(IkeEffect.Account record) {
            EnginePolicy policy = engine.policy();
            accountant.account(record, policy, radiusFor(policy), address, System.currentTimeMillis());
        }

        /** Asks the authorization list for the group off the loop; null grants no group. */
        @Override
        public void authorizeGroup(IkeEffect.AuthorizeGroup request) {
            EnginePolicy policy = engine.policy();
            RadiusLogins radius = radiusFor(policy);
            int nas = address;
            askOffLoop("vpnrouter-author-" + request.connId(),
                    () -> radius.authorizeGroup(policy.networkMethods(request.list()), request.group(), nas,
                            Ipv4.format(request.peerAddress())).map(policy::clientGroup).orElse(null),
                    group -> core.groupAuthorized(request, group, System.currentTimeMillis()));
        }

        @Override
        public void send(Datagram datagram, byte[] wire) {
            RouterRuntime.this.send(datagram, wire);
        }

        @Override
        public void espInUdp(byte[] buffer, int off, int len, int fromAddress, int fromPort) {
            espInUdp.receive(buffer, off, len, fromAddress, fromPort);
        }

        @Override
        public void observe(IkeEffect effect) {
            switch (effect) {
                case IkeEffect.IkeUp up -> knownPeers.up(up.sa().peerAddress());
                case IkeEffect.IkeDown down when down.wasUp() -> knownPeers.down(down.sa().peerAddress());
                default -> { }
            }
            for (Consumer<IkeEffect> l : effectListeners) {
                l.accept(effect);
            }
        }

        @Override
        public void installed(ChildSa child) {
            listeners.forEach(l -> l.installed(child));
        }

        @Override
        public void deleted(ChildSa child, String reason) {
            accountant.childDeleted(child); // before the data plane forgets its counters
            listeners.forEach(l -> l.deleted(child, reason));
        }

        @Override
        public void debug(String line) {
            debugSink.accept(line);
        }

        @Override
        public void message(RouterMessage message) {
            messageListeners.forEach(l -> l.accept(message));
        }

        @Override
        public void keyLog(IkeEffect.KeyLog keys) {
            try {
                writeKeyLog(keys);
            } catch (IOException e) {
                say("vpnrouter: key log: " + e.getMessage());
            }
        }

        @Override
        public void clientConfigured(IkeEffect.ClientConfigured c) {
            debugSink.accept("vpnrouter: Mode Config received: " + c.config());
        }
    }

    private void send(Datagram d, byte[] wire) {
        boolean fromNatT = d.srcPort() == Datagram.NAT_T_PORT;
        boolean retiring = retiringIke != null && d.src() == retiringAddress;
        if (retiring) {
            // Deletes of a renumbering: from the old address if the kernel still has it, else from the new one.
            try {
                if ((fromNatT ? retiringNatT : retiringIke).send(wire, 0, wire.length, d.dst(), d.dstPort())) {
                    deletesFromOld++;
                    sent++;
                    return;
                }
            } catch (IOException e) {
                // the old address is gone: the new one sends it
            }
        }
        if (!retiring && wire.length <= SEND_SLOT) {
            dev.vpnrouter.net.PacketBatch batch = fromNatT ? natTOut : ikeOut;
            if (batch.isFull()) {
                flushSends();
            }
            batch.add(wire, 0, wire.length, d.dst(), d.dstPort());
            return;
        }
        flushSends(); // what this turn queued before goes first: the loop's sends keep their order
        try {
            if (!(fromNatT ? natT : ike).socket().send(wire, 0, wire.length, d.dst(), d.dstPort())) {
                say("vpnrouter: socket buffer full, dropped a datagram to " + Ipv4.format(d.dst()));
                sendFailures++;
            } else {
                sent++;
                if (retiring) {
                    deletesFromNew++;
                }
            }
        } catch (IOException e) {
            // No route or no address while the interface is being reconfigured: the engine retransmits.
            // Logged before it is counted, so whoever sees the count can also find the line.
            say("vpnrouter: sending to " + Ipv4.format(d.dst()) + ":" + d.dstPort() + " failed: " + e.getMessage());
            sendFailures++;
        }
    }

    /** Sends what the loop queued, port by port (loop thread). A refusal is logged and counted, as a single send's. */
    private void flushSends() {
        flush(ike, ikeOut);
        flush(natT, natTOut);
    }

    private void flush(IkePort port, dev.vpnrouter.net.PacketBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            sent += port.socket().send(batch, (to, toPort, errno) -> {
                // A full buffer drops the datagram; no route while the interface is reconfigured: IKE retransmits.
                // Logged before it is counted, so whoever sees the count can also find the line.
                say(errno == dev.vpnrouter.net.Libc.EAGAIN || errno == dev.vpnrouter.net.Libc.ENOBUFS
                        ? "vpnrouter: socket buffer full, dropped a datagram to " + Ipv4.format(to)
                        : "vpnrouter: sending to " + Ipv4.format(to) + ":" + toPort + " failed: "
                        + dev.vpnrouter.net.Libc.strerror(errno));
                sendFailures++;
            });
        } catch (IOException e) {
            // The socket closed under us (a move or shutdown): what was queued is lost, as IKE allows.
            say("vpnrouter: sending " + batch.size() + " datagram(s) failed: " + e.getMessage());
            sendFailures += batch.size();
            batch.clear();
        }
    }

    private void writeKeyLog(IkeEffect.KeyLog k) throws IOException {
        if (keyLog != null) {
            keyLog.write(Hex.of(IsakmpHeader.cookieBytes(k.initiatorCookie())) + "," + Hex.of(k.encryptionKey())
                    + "\n");
            keyLog.flush();
        }
    }

    private void say(String line) {
        Consumer<String> sink = log;
        if (sink != null) {
            sink.accept(line);
        }
    }

    public long datagramsReceived() {
        return received;
    }

    public long datagramsSent() {
        return sent;
    }

    public long sendFailures() {
        return sendFailures;
    }

    /** Drop counts of ports closed by address moves, kept so the totals below never go back (loop writes). */
    private volatile long retiredQueueDrops;
    private volatile long retiredKernelDrops;
    private volatile long retiredProvenKernelDrops;
    private volatile long retiredAdmissionDrops;

    /**
     * First messages (zero responder cookie) the ports' readers dropped because their source was past its budget
     * (both ports, since start): see {@link FirstMessageAdmission}.
     */
    public long ikeAdmissionDrops() {
        return retiredAdmissionDrops + ike.admissionDrops() + natT.admissionDrops();
    }

    /** IKE datagrams dropped because the loop's queues were full (both ports, since start). */
    public long ikeQueueDrops() {
        return retiredQueueDrops + ike.intake().drops() + natT.intake().drops();
    }

    /** IKE datagrams the kernel dropped for a full socket buffer (SO_RXQ_OVFL; both ports, as last reported). */
    public long ikeKernelDrops() {
        return retiredKernelDrops + ike.kernelDrops() + natT.kernelDrops();
    }

    /**
     * Of {@link #ikeKernelDrops}, those on the sockets for datagrams carrying our responder cookie (each steered
     * pair's second, on 500 and 4500): what a flood of first messages should never cause.
     */
    public long ikeProvenKernelDrops() {
        return retiredProvenKernelDrops + ike.provenKernelDrops() + natT.provenKernelDrops();
    }

    /**
     * Sends Deletes to every peer, then stops the loop and closes the sockets. Returns the number of ISAKMP SAs
     * that were deleted (0 when already closed). Safe to call twice and from several threads.
     */
    public synchronized int shutdown() {
        if (closed) {
            return 0;
        }
        closed = true;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (loop.isAlive()) {
            tasks.add(() -> {
                int sas = engine.ikeSaCount();
                try {
                    engine.stop(System.currentTimeMillis());
                    core.carryOut();
                    messageListeners.forEach(l -> l.accept(IosMessages.isakmp(false)));
                } catch (RuntimeException ex) {
                    say("vpnrouter: could not send Deletes: " + ex);
                }
                // The sessions' Stop records (Admin-Reboot) are queued: the loop goes on a while to hand them over.
                stopping = done;
                stoppingSas = sas;
                stopFlushDeadline = System.currentTimeMillis() + STOP_FLUSH_MILLIS;
            });
            selector.wakeup();
        }
        int deleted = 0;
        try {
            deleted = done.get(STOP_FLUSH_MILLIS + 5_000, TimeUnit.MILLISECONDS);
            loop.join(5_000);
        } catch (Exception e) {
            running = false;
        }
        closeQuietly(selector);
        closeQuietly(ike);
        closeQuietly(natT);
        if (!loop.isAlive()) { // the batches are the loop's: freed only once it is gone
            ikeOut.close();
            natTOut.close();
        }
        if (ownsRadius) {
            closeQuietly(radius);
        }
        if (keyLog != null) {
            try {
                keyLog.close();
            } catch (IOException e) {
                say("vpnrouter: key log: " + e.getMessage());
            }
        }
        return deleted;
    }

    /** How long a stopping router waits for the servers to take its last accounting records. */
    static final long STOP_FLUSH_MILLIS = 5_000;
    /** Set on the loop once {@link #shutdown} has sent the Deletes; the loop ends when the records are out. */
    private CompletableFuture<Integer> stopping;
    private int stoppingSas;
    private long stopFlushDeadline;

    /** The loop's last turn: accounting handed over (or its wait is over), so it stops. */
    private void stopped() {
        int left = accountant.waiting();
        if (left > 0) {
            say("vpnrouter: " + left + " RADIUS accounting record(s) not taken by any server within "
                    + STOP_FLUSH_MILLIS / 1000 + " s of stopping: given up");
        }
        running = false;
        stopping.complete(stoppingSas);
    }

    /** {@link #shutdown()}. */
    @Override
    public void close() throws IOException {
        shutdown();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // on the way out; nothing useful to do with it
        }
    }
}
