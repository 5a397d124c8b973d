package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.Datagram;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.net.UdpEndpoint;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The real-time host of one {@link IkeEngine} on Linux: UDP 500 and 4500 on the outside address, one event-loop
 * thread with a {@link Selector} whose timeout is the engine's next timer, the wall clock (read here and nowhere
 * else), and the engine's effects carried out: datagrams sent (with the RFC 3948 non-ESP marker on 4500), SA
 * changes handed to {@link ChildSaListener}s, debug lines to a {@link DebugSink}, keys to a {@link KeyLogWriter}.
 *
 * <p><b>Threads.</b> The engine is touched only by the loop thread. Other threads hand it work with
 * {@link #execute}, {@link #submit} or {@link #call}; the effects of that work are carried out before the loop
 * waits again. Listeners run on the loop thread. {@link #sendEspInUdp} may be called from any thread.
 *
 * <p><b>Namespaces.</b> Sockets are bound by the thread that calls {@link Builder#start()}, and the loop thread is
 * started by it, so starting inside {@code NetNamespace.call(ns, ...)} puts the whole router in that namespace.
 *
 * <p><b>Data plane hook.</b> ESP-in-UDP arriving on port 4500 goes to an {@link EspInUdpReceiver}; ESP SAs arrive
 * through {@link ChildSaListener}; further channels (a TUN's or raw socket's selectable channel) can join the loop
 * with {@link #register}.
 */
public final class RouterRuntime implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;
    /** Datagrams read from one socket per wake-up, so one busy socket cannot starve the timers and the other. */
    private static final int RECEIVE_BATCH = 64;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] NON_ESP_MARKER = new byte[4];

    // Wall clock anchored once and advanced by the monotonic clock, so timers never jump with NTP.
    private static final long WALL_BASE_MILLIS = System.currentTimeMillis();
    private static final long NANO_BASE = System.nanoTime();

    private final IkeEngine engine;
    private final EnginePolicy policy;
    private final Selector selector;
    private final DebugSink debug;
    private final KeyLogWriter keyLog;
    private final List<ChildSaListener> childListeners = new CopyOnWriteArrayList<>();
    private final List<IkeSaListener> ikeListeners = new CopyOnWriteArrayList<>();
    private volatile EspInUdpReceiver espReceiver;
    private final boolean connectAtStart;

    private volatile int localAddress;
    private volatile DatagramChannel ikeChannel;
    private volatile DatagramChannel natTChannel;
    private SelectionKey ikeKey;
    private SelectionKey natTKey;
    private volatile String summary;

    private final Thread loop;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private boolean stopped; // loop thread only
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Throwable failure;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);

    private final AtomicLong datagramsIn = new AtomicLong();
    private final AtomicLong datagramsOut = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong natKeepalives = new AtomicLong();
    private final AtomicLong espIn = new AtomicLong();
    private final AtomicLong espDropped = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();

    /** What the runtime counted beside the engine's own {@link dev.vpnrouter.ike.IkeCounters}. */
    public record Stats(long datagramsIn, long datagramsOut, long sendFailures, long natKeepalives, long espIn,
            long espDropped, long listenerErrors) {
    }

    /** Starts describing a runtime for {@code policy} on {@code outsideAddress}; {@link Builder#start()} runs it. */
    public static Builder builder(EnginePolicy policy, int outsideAddress) {
        return new Builder(policy, outsideAddress);
    }

    /** Options of a runtime. Not thread-safe; use once. */
    public static final class Builder {
        private final EnginePolicy policy;
        private final int address;
        private SecureRandom random;
        private boolean engineDebug;
        private DebugSink debugSink = DebugSink.systemLogger();
        private Path keyLog;
        private final List<ChildSaListener> childListeners = new ArrayList<>();
        private final List<IkeSaListener> ikeListeners = new ArrayList<>();
        private EspInUdpReceiver espReceiver;
        private boolean connectAtStart;
        private String threadName = "vpnrouter-loop";

        private Builder(EnginePolicy policy, int address) {
            if (address == 0) {
                throw new IllegalArgumentException("the outside address must be a unicast address, not 0.0.0.0");
            }
            this.policy = policy;
            this.address = address;
        }

        /** Source of cookies, nonces, DH keys and SPIs; default a fresh {@link SecureRandom}. */
        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        /** {@code debug crypto isakmp} and {@code debug crypto ipsec} on (the engine's verbose lines). */
        public Builder engineDebug(boolean on) {
            this.engineDebug = on;
            return this;
        }

        public Builder debugSink(DebugSink sink) {
            this.debugSink = sink;
            return this;
        }

        /** Writes every ISAKMP SA's initiator cookie and Ka to {@code file} for tshark; off unless asked. */
        public Builder keyLog(Path file) {
            this.keyLog = file;
            return this;
        }

        public Builder childSaListener(ChildSaListener listener) {
            childListeners.add(listener);
            return this;
        }

        public Builder ikeSaListener(IkeSaListener listener) {
            ikeListeners.add(listener);
            return this;
        }

        public Builder espInUdpReceiver(EspInUdpReceiver receiver) {
            this.espReceiver = receiver;
            return this;
        }

        /** Bring up every static crypto map entry as soon as the loop runs (a spoke); off by default. */
        public Builder connectAtStart(boolean on) {
            this.connectAtStart = on;
            return this;
        }

        public Builder threadName(String name) {
            this.threadName = name;
            return this;
        }

        /**
         * Binds UDP 500 and 4500 on the outside address and starts the loop. Fails with a message naming the
         * address and port when either is taken (another vpnrouter or IKE daemon) or not a local address.
         */
        public RouterRuntime start() throws IOException {
            KeyLogWriter writer = keyLog == null ? null : new KeyLogWriter(keyLog);
            DatagramChannel ike = null;
            DatagramChannel natT = null;
            Selector selector = null;
            try {
                ike = bindForIke(address, UdpEndpoint.IKE_PORT);
                natT = bindForIke(address, UdpEndpoint.NAT_T_PORT);
                selector = Selector.open();
                IkeEngine engine = new IkeEngine(policy, address, random != null ? random : new SecureRandom());
                engine.setDebug(engineDebug);
                engine.setKeyLog(writer != null);
                RouterRuntime runtime = new RouterRuntime(this, engine, selector, writer, ike, natT);
                runtime.loop.start();
                return runtime;
            } catch (IOException | RuntimeException | Error e) {
                closeQuietly(ike);
                closeQuietly(natT);
                closeQuietly(selector);
                closeQuietly(writer);
                throw e;
            }
        }
    }

    private RouterRuntime(Builder b, IkeEngine engine, Selector selector, KeyLogWriter keyLog, DatagramChannel ike,
            DatagramChannel natT) throws IOException {
        this.engine = engine;
        this.policy = b.policy;
        this.selector = selector;
        this.debug = b.debugSink;
        this.keyLog = keyLog;
        this.childListeners.addAll(b.childListeners);
        this.ikeListeners.addAll(b.ikeListeners);
        this.espReceiver = b.espReceiver;
        this.connectAtStart = b.connectAtStart;
        this.localAddress = b.address;
        attachSockets(ike, natT);
        this.summary = describe();
        this.loop = Thread.ofPlatform().name(b.threadName).daemon(true).unstarted(this::runLoop);
    }

    /** Binds one IKE port, non-blocking; the message says which router could not start and why. */
    private static DatagramChannel bindForIke(int address, int port) throws IOException {
        DatagramChannel channel;
        try {
            channel = UdpEndpoint.bind(address, port);
        } catch (BindException e) {
            BindException clear = new BindException("vpnrouter cannot listen on " + Ipv4.format(address) + ": "
                    + e.getMessage());
            clear.initCause(e);
            throw clear;
        }
        try {
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private void attachSockets(DatagramChannel ike, DatagramChannel natT) throws IOException {
        ikeKey = ike.register(selector, SelectionKey.OP_READ,
                (Consumer<SelectionKey>) k -> receiveAll(ike, UdpEndpoint.IKE_PORT));
        natTKey = natT.register(selector, SelectionKey.OP_READ,
                (Consumer<SelectionKey>) k -> receiveAll(natT, UdpEndpoint.NAT_T_PORT));
        ikeChannel = ike;
        natTChannel = natT;
    }

    private String describe() {
        int dynamic = 0;
        int fixed = 0;
        for (ChildPolicy entry : policy.cryptoMap()) {
            if (entry.dynamic()) {
                dynamic++;
            } else {
                fixed++;
            }
        }
        return "vpnrouter " + policy.hostname() + ": IKE listening on " + Ipv4.format(localAddress) + " udp/"
                + UdpEndpoint.IKE_PORT + " and udp/" + UdpEndpoint.NAT_T_PORT + " (NAT-T); "
                + policy.ikeProposals().size() + " isakmp polic" + (policy.ikeProposals().size() == 1 ? "y" : "ies")
                + ", crypto map entries: " + fixed + " static, " + dynamic + " dynamic"
                + (connectAtStart && fixed > 0 ? " (initiating)" : "")
                + (keyLog != null ? "; key log " + keyLog.path() : "");
    }

    // ------------------------------------------------------------------ public API

    /** The one-line description of what this runtime listens on and runs, logged at start. */
    public String summary() {
        return summary;
    }

    /** The outside address the sockets are bound to now. */
    public int localAddress() {
        return localAddress;
    }

    /** The wall clock the loop feeds to the engine, in milliseconds. */
    public static long clockMillis() {
        return WALL_BASE_MILLIS + (System.nanoTime() - NANO_BASE) / 1_000_000L;
    }

    /** True until the loop has ended (after {@link #stop}, or after a failure: see {@link #failure()}). */
    public boolean isRunning() {
        return terminated.getCount() > 0;
    }

    /** What ended the loop unexpectedly, or null. */
    public Throwable failure() {
        return failure;
    }

    public Stats stats() {
        return new Stats(datagramsIn.get(), datagramsOut.get(), sendFailures.get(), natKeepalives.get(),
                espIn.get(), espDropped.get(), listenerErrors.get());
    }

    /** Runs {@code action} on the loop thread, then carries out the effects; fire and forget (errors are logged). */
    public void execute(Consumer<IkeEngine> action) {
        enqueue(() -> {
            try {
                action.accept(engine);
            } catch (RuntimeException e) {
                listenerErrors.incrementAndGet();
                say("vpnrouter: task failed: " + e);
            }
        });
    }

    /** Runs {@code query} on the loop thread; the future completes with its result (copy what you keep). */
    public <T> CompletableFuture<T> submit(Function<IkeEngine, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        enqueue(() -> {
            try {
                result.complete(query.apply(engine));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * {@link #submit} and wait, at most 10 s. From the loop thread itself (a listener) it runs at once.
     *
     * @throws IllegalStateException when the runtime has stopped or the loop does not answer in time
     */
    public <T> T call(Function<IkeEngine, T> query) {
        if (Thread.currentThread() == loop) {
            return query.apply(engine);
        }
        CompletableFuture<T> future = submit(query);
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the router loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the router loop did not answer within " + CALL_TIMEOUT.toSeconds()
                    + " s" + (isRunning() ? "" : " (it has stopped" + (failure != null ? ": " + failure : "") + ")"));
        }
    }

    /** The ISAKMP SAs now, copied on the loop thread. */
    public List<IkeSaSnapshot> ikeSas() {
        return call(e -> {
            long now = clockMillis();
            List<IkeSaSnapshot> out = new ArrayList<>();
            e.ikeSas().forEach(sa -> out.add(IkeSaSnapshot.of(sa, now)));
            return out;
        });
    }

    /** The IPsec SA pairs now (immutable records). */
    public List<ChildSa> childSas() {
        return call(e -> List.copyOf(e.childSas()));
    }

    /** Brings up every static crypto map entry (what a spoke does at start). */
    public void connectAll() {
        execute(e -> e.connectAll(clockMillis()));
    }

    /** Traffic needs an SA: start one when a static entry covers it (see {@link IkeEngine#acquire}). */
    public CompletableFuture<Boolean> acquire(int source, int destination, int protocol, int destinationPort) {
        return submit(e -> e.acquire(source, destination, protocol, destinationPort, clockMillis()));
    }

    /**
     * Adds a listener; it is first told of every SA pair already installed, so a data plane that joins late
     * misses nothing.
     */
    public void addChildSaListener(ChildSaListener listener) {
        enqueue(() -> {
            childListeners.add(listener);
            for (ChildSa c : engine.childSas()) {
                notify(() -> listener.installed(c));
            }
        });
    }

    public void addIkeSaListener(IkeSaListener listener) {
        ikeListeners.add(listener);
    }

    public void setEspInUdpReceiver(EspInUdpReceiver receiver) {
        this.espReceiver = receiver;
    }

    /**
     * Adds a channel to the loop: {@code handler} runs on the loop thread whenever the channel is ready for
     * {@code ops}. The channel is made non-blocking; its owner closes it (or cancels the returned key).
     */
    public CompletableFuture<SelectionKey> register(SelectableChannel channel, int ops,
            Consumer<SelectionKey> handler) {
        CompletableFuture<SelectionKey> result = new CompletableFuture<>();
        enqueue(() -> {
            try {
                channel.configureBlocking(false);
                Consumer<SelectionKey> guarded = key -> notify(() -> handler.accept(key));
                result.complete(channel.register(selector, ops, guarded));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Sends ESP-in-UDP (RFC 3948) from our port 4500 to {@code peer:peerPort}; {@code esp} starts at the SPI.
     * Any thread. False when the datagram could not be handed to the kernel.
     */
    public boolean sendEspInUdp(int peer, int peerPort, ByteBuffer esp) {
        DatagramChannel channel = natTChannel;
        try {
            if (channel.send(esp, UdpEndpoint.socketAddress(peer, peerPort)) == 0) {
                sendFailures.incrementAndGet();
                return false;
            }
            return true;
        } catch (IOException e) {
            sendFailures.incrementAndGet();
            return false;
        }
    }

    /**
     * The outside address changed (a new DHCP lease): binds 500/4500 on the new address, then the engine drops
     * every SA of the old one and the old sockets close. When the new address cannot be bound, nothing changes
     * and the future fails with the reason.
     */
    public CompletableFuture<Void> changeLocalAddress(int newAddress) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        enqueue(() -> {
            if (newAddress == localAddress) {
                result.complete(null);
                return;
            }
            DatagramChannel ike = null;
            DatagramChannel natT = null;
            try {
                ike = bindForIke(newAddress, UdpEndpoint.IKE_PORT);
                natT = bindForIke(newAddress, UdpEndpoint.NAT_T_PORT);
            } catch (IOException e) {
                closeQuietly(ike);
                closeQuietly(natT);
                say("vpnrouter: staying on " + Ipv4.format(localAddress) + ": " + e.getMessage());
                result.completeExceptionally(e);
                return;
            }
            ikeKey.cancel();
            natTKey.cancel();
            DatagramChannel oldIke = ikeChannel;
            DatagramChannel oldNatT = natTChannel;
            try {
                attachSockets(ike, natT);
            } catch (IOException e) {
                closeQuietly(ike);
                closeQuietly(natT);
                result.completeExceptionally(e);
                return;
            }
            int old = localAddress;
            localAddress = newAddress;
            engine.changeLocalAddress(newAddress, clockMillis());
            closeQuietly(oldIke);
            closeQuietly(oldNatT);
            summary = describe();
            say("vpnrouter: outside address changed from " + Ipv4.format(old) + " to " + Ipv4.format(newAddress)
                    + "; " + summary);
            result.complete(null);
        });
        return result;
    }

    /**
     * Stops: the engine deletes every SA (Delete payloads go out to the peers), then the sockets close. Waits at
     * most {@code timeout}; returns true when the loop ended in time (if not, the sockets are closed anyway).
     */
    public boolean stop(Duration timeout) {
        if (Thread.currentThread() == loop) {
            throw new IllegalStateException("stop() from the loop thread would wait for itself; use execute()");
        }
        if (!isRunning()) {
            return true;
        }
        if (stopRequested.compareAndSet(false, true)) {
            tasks.add(() -> {
                engine.shutdown(clockMillis());
                pump();
                stopped = true;
            });
            selector.wakeup();
        }
        try {
            if (terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The loop is stuck (a listener blocking?): take the sockets away so it fails out of its wait.
        closeQuietly(selector);
        closeQuietly(ikeChannel);
        closeQuietly(natTChannel);
        return false;
    }

    /** Waits until the loop has ended; true when it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@link #stop} with five seconds to send the Deletes. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return summary;
    }

    // ------------------------------------------------------------------ the loop

    private void enqueue(Runnable task) {
        if (!isRunning()) {
            throw new IllegalStateException("the router has stopped"
                    + (failure != null ? " (loop failed: " + failure + ")" : ""));
        }
        tasks.add(task);
        selector.wakeup();
    }

    private void runLoop() {
        try {
            say(summary);
            if (connectAtStart) {
                engine.connectAll(clockMillis());
            }
            pump();
            while (!stopped) {
                long now = clockMillis();
                long next = engine.nextTimerMillis();
                if (!tasks.isEmpty() || next <= now) {
                    selector.selectNow();
                } else {
                    // select(0) waits without a limit: exactly what "no timer" means.
                    selector.select(next == Long.MAX_VALUE ? 0 : next - now);
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (key.isValid()) {
                        @SuppressWarnings("unchecked")
                        Consumer<SelectionKey> handler = (Consumer<SelectionKey>) key.attachment();
                        handler.accept(key);
                    }
                }
                Runnable task;
                while (!stopped && (task = tasks.poll()) != null) {
                    task.run();
                }
                if (!stopped) {
                    now = clockMillis();
                    if (engine.nextTimerMillis() <= now) {
                        engine.tick(now);
                    }
                    pump();
                }
            }
        } catch (ClosedSelectorException e) {
            if (!stopRequested.get()) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
            try {
                say("vpnrouter: the router loop failed: " + t);
            } catch (RuntimeException ignored) {
                // the sink itself is broken; the failure is kept for failure()
            }
        } finally {
            closeQuietly(ikeChannel);
            closeQuietly(natTChannel);
            closeQuietly(selector);
            closeQuietly(keyLog);
            // Work submitted while stopping still runs (on this thread, so the engine stays single-threaded):
            // a caller waiting in call() gets the final state instead of a timeout.
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    listenerErrors.incrementAndGet();
                }
            }
            try {
                say("vpnrouter " + policy.hostname() + ": stopped" + (failure != null ? " (" + failure + ")" : ""));
            } catch (RuntimeException ignored) {
                // a broken sink must not hide that the loop ended
            }
            terminated.countDown();
        }
    }

    /** Reads what one socket has (bounded batch) and feeds the engine. */
    private void receiveAll(DatagramChannel channel, int port) {
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            InetSocketAddress from;
            receiveBuffer.clear();
            try {
                from = (InetSocketAddress) channel.receive(receiveBuffer);
            } catch (IOException e) {
                say("vpnrouter: receive on udp/" + port + " failed: " + e.getMessage());
                return;
            }
            if (from == null) {
                return;
            }
            receiveBuffer.flip();
            byte[] data = new byte[receiveBuffer.remaining()];
            receiveBuffer.get(data);
            datagramsIn.incrementAndGet();
            deliver(UdpEndpoint.addressOf(from), from.getPort(), port, data);
        }
    }

    /** RFC 3948 demultiplexing on 4500: marker = IKE, one 0xff byte = NAT keepalive, anything else = ESP. */
    private void deliver(int source, int sourcePort, int port, byte[] data) {
        long now = clockMillis();
        if (port == UdpEndpoint.IKE_PORT) {
            engine.receive(new Datagram(source, sourcePort, localAddress, port, data), now);
        } else if (data.length >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 0) {
            engine.receive(new Datagram(source, sourcePort, localAddress, port,
                    Arrays.copyOfRange(data, 4, data.length)), now);
        } else if (data.length == 1 && data[0] == (byte) 0xff) {
            natKeepalives.incrementAndGet();
        } else {
            EspInUdpReceiver receiver = espReceiver;
            if (receiver == null) {
                if (espDropped.getAndIncrement() == 0) {
                    say("vpnrouter: ESP-in-UDP from " + Ipv4.format(source) + ":" + sourcePort
                            + " dropped: no data plane attached (further drops are only counted)");
                }
            } else {
                espIn.incrementAndGet();
                notify(() -> receiver.receive(source, sourcePort, data));
            }
        }
    }

    /** Carries out everything the engine asked for, in order. */
    private void pump() {
        for (IkeEffect effect : engine.drain()) {
            switch (effect) {
                case IkeEffect.Send s -> transmit(s.datagram());
                case IkeEffect.InstallChild i -> {
                    for (ChildSaListener l : childListeners) {
                        notify(() -> l.installed(i.child()));
                    }
                }
                case IkeEffect.DeleteChild d -> {
                    for (ChildSaListener l : childListeners) {
                        notify(() -> l.deleted(d.child(), d.reason()));
                    }
                }
                case IkeEffect.IkeUp up -> {
                    IkeSaSnapshot snapshot = IkeSaSnapshot.of(up.sa(), clockMillis());
                    for (IkeSaListener l : ikeListeners) {
                        notify(() -> l.up(snapshot));
                    }
                }
                case IkeEffect.IkeDown down -> {
                    IkeSaSnapshot snapshot = IkeSaSnapshot.of(down.sa(), clockMillis());
                    for (IkeSaListener l : ikeListeners) {
                        notify(() -> l.down(snapshot, down.reason()));
                    }
                }
                case IkeEffect.Debug d -> debug.line(d.category(), d.line());
                case IkeEffect.KeyLog k -> {
                    if (keyLog != null) {
                        try {
                            keyLog.write(k.initiatorCookie(), k.encryptionKey());
                        } catch (IOException e) {
                            say("vpnrouter: key log " + keyLog.path() + ": " + e.getMessage());
                        }
                    }
                }
            }
        }
    }

    private void transmit(Datagram d) {
        DatagramChannel channel = switch (d.srcPort()) {
            case UdpEndpoint.IKE_PORT -> ikeChannel;
            case UdpEndpoint.NAT_T_PORT -> natTChannel;
            default -> null;
        };
        if (channel == null || d.src() != localAddress) {
            sendFailures.incrementAndGet();
            say("vpnrouter: not sending " + d + ": not from " + Ipv4.format(localAddress) + " udp/500 or udp/4500");
            return;
        }
        ByteBuffer out;
        if (d.srcPort() == UdpEndpoint.NAT_T_PORT) {
            out = ByteBuffer.allocate(NON_ESP_MARKER.length + d.data().length);
            out.put(NON_ESP_MARKER).put(d.data()).flip();
        } else {
            out = ByteBuffer.wrap(d.data());
        }
        try {
            if (channel.send(out, UdpEndpoint.socketAddress(d.dst(), d.dstPort())) == 0) {
                sendFailures.incrementAndGet();
                say("vpnrouter: socket buffer full, dropped " + d);
            } else {
                datagramsOut.incrementAndGet();
            }
        } catch (IOException e) {
            // No route, interface down: the engine retransmits; the operator sees why.
            sendFailures.incrementAndGet();
            say("vpnrouter: sending " + d + " failed: " + e.getMessage());
        }
    }

    /** Runs listener code; its exceptions are logged and counted, never allowed to end the loop. */
    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            listenerErrors.incrementAndGet();
            say("vpnrouter: listener failed: " + e);
        }
    }

    private void say(String line) {
        debug.line(null, line);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing on the way out; nothing useful to do with the error
        }
    }
}
