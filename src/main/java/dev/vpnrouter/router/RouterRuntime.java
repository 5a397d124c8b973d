package dev.vpnrouter.router;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.ChildSa;
import dev.vpnrouter.ike.Datagram;
import dev.vpnrouter.ike.IkeEffect;
import dev.vpnrouter.ike.IkeEngine;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.wire.IsakmpHeader;
import dev.vpnrouter.net.UdpEndpoint;

import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The real-time host of one {@link IkeEngine} on Linux: UDP 500 and 4500 on the outside address, one event-loop
 * thread (a Selector whose timeout is the engine's next timer), the wall clock. The engine is touched only by that
 * thread; other threads hand it work with {@link #submit}. ESP from the data plane plugs in through
 * {@link ChildSaListener} and {@link #onEspInUdp}.
 */
public final class RouterRuntime implements AutoCloseable {
    /** Told when the engine installs or removes an SA pair (the data plane's hook). Runs on the loop thread. */
    public interface ChildSaListener {
        void installed(ChildSa child);

        void deleted(ChildSa child, String reason);
    }

    private final IkeEngine engine;
    private final int address;
    private final DatagramChannel ike;
    private final DatagramChannel natT;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<ChildSaListener> listeners = new ArrayList<>();
    private final Thread loop;
    private volatile boolean running = true;
    private Consumer<String> debugSink = line -> { };
    private EspInUdpHandler espInUdp = (esp, from, port) -> { };
    private Writer keyLog;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    private long received;

    private RouterRuntime(IkeEngine engine, int address, DatagramChannel ike, DatagramChannel natT,
            Selector selector) {
        this.engine = engine;
        this.address = address;
        this.ike = ike;
        this.natT = natT;
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
     * file (tshark's {@code ikev1_decryption_table} format: initiator cookie, Ka) and a debug sink.
     */
    public static RouterRuntime start(int address, Function<Integer, IkeEngine> engineFactory, Path keyLogFile,
            Consumer<String> debug) throws IOException {
        DatagramChannel ike = UdpEndpoint.bind(address, UdpEndpoint.IKE_PORT);
        DatagramChannel natT;
        try {
            natT = UdpEndpoint.bind(address, UdpEndpoint.NAT_T_PORT);
        } catch (IOException e) {
            ike.close();
            throw e;
        }
        Selector selector = Selector.open();
        ike.configureBlocking(false);
        natT.configureBlocking(false);
        ike.register(selector, SelectionKey.OP_READ, UdpEndpoint.IKE_PORT);
        natT.register(selector, SelectionKey.OP_READ, UdpEndpoint.NAT_T_PORT);
        IkeEngine engine = engineFactory.apply(address);
        RouterRuntime r = new RouterRuntime(engine, address, ike, natT, selector);
        if (debug != null) {
            r.debugSink = debug;
            engine.setDebug(true);
        }
        if (keyLogFile != null) {
            engine.setKeyLog(true);
            r.keyLog = dev.vpnrouter.config.PrivateFiles.append(keyLogFile); // secrets: 0600
        }
        r.loop.start();
        return r;
    }

    /** One line for the log: what this instance listens on. */
    public String summary() {
        return "vpnrouter: " + engine.policy().hostname() + " listening for IKE on " + Ipv4.format(address)
                + " udp/500 and udp/4500 (NAT-T)";
    }

    public void addChildSaListener(ChildSaListener listener) {
        submit(e -> listeners.add(listener));
    }

    /** Receives ESP-in-UDP (RFC 3948) that arrived on 4500, on the loop thread. */
    public interface EspInUdpHandler {
        void receive(byte[] esp, int fromAddress, int fromPort);
    }

    /** ESP-in-UDP arriving on 4500 (non-zero marker): handed to the data plane, on the loop thread. */
    public void onEspInUdp(EspInUdpHandler handler) {
        submit(e -> espInUdp = handler);
    }

    /** Sends ESP in UDP from port 4500 (RFC 3948: no marker). Call on the loop thread. */
    public void sendEspInUdp(byte[] esp, int peerAddress, int peerPort) throws IOException {
        natT.send(ByteBuffer.wrap(esp), UdpEndpoint.socketAddress(peerAddress, peerPort));
    }

    /** The outside address the runtime listens on. */
    public int address() {
        return address;
    }

    /** Runs {@code action} on the loop thread with the engine, then carries out what it asked for. */
    public void submit(Consumer<IkeEngine> action) {
        tasks.add(() -> action.accept(engine));
        selector.wakeup();
    }

    /** Runs {@code query} on the loop thread and waits for its answer (for show commands and tests). */
    public <T> T query(Function<IkeEngine, T> query) {
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

    private void loop() {
        try {
            while (running) {
                long now = System.currentTimeMillis();
                long next = engine.nextTimerMillis();
                long wait = next == Long.MAX_VALUE ? 1_000 : Math.max(1, Math.min(1_000, next - now));
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    readAll((DatagramChannel) key.channel(), (Integer) key.attachment());
                }
                selector.selectedKeys().clear();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                now = System.currentTimeMillis();
                if (engine.nextTimerMillis() <= now) {
                    engine.tick(now);
                }
                carryOut();
            }
        } catch (IOException | RuntimeException e) {
            debugSink.accept("vpnrouter: IKE loop stopped: " + e);
        }
    }

    private void readAll(DatagramChannel channel, int port) throws IOException {
        while (true) {
            buffer.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
            if (from == null) {
                return;
            }
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            received++;
            int src = UdpEndpoint.addressOf(from);
            if (port == UdpEndpoint.NAT_T_PORT) {
                if (data.length == 1 && data[0] == (byte) 0xff) {
                    continue; // NAT keepalive
                }
                if (data.length < 4 || data[0] != 0 || data[1] != 0 || data[2] != 0 || data[3] != 0) {
                    espInUdp.receive(data, src, from.getPort());
                    continue;
                }
                data = Arrays.copyOfRange(data, 4, data.length);
            }
            engine.receive(new Datagram(src, from.getPort(), address, port, data), System.currentTimeMillis());
            carryOut();
        }
    }

    private void carryOut() throws IOException {
        for (IkeEffect effect : engine.drain()) {
            switch (effect) {
                case IkeEffect.Send s -> send(s.datagram());
                case IkeEffect.InstallChild i -> listeners.forEach(l -> l.installed(i.child()));
                case IkeEffect.DeleteChild d -> listeners.forEach(l -> l.deleted(d.child(), d.reason()));
                case IkeEffect.Debug d -> debugSink.accept(d.line());
                case IkeEffect.KeyLog k -> writeKeyLog(k);
                case IkeEffect.IkeUp up -> { }
                case IkeEffect.IkeDown down -> { }
                case IkeEffect.ClientConfigured c -> debugSink.accept("vpnrouter: Mode Config received: " + c.config());
            }
        }
    }

    private void send(Datagram d) throws IOException {
        boolean nat = d.srcPort() == Datagram.NAT_T_PORT || d.dstPort() == Datagram.NAT_T_PORT;
        ByteBuffer out = ByteBuffer.allocate(d.data().length + (nat ? 4 : 0));
        if (nat) {
            out.putInt(0);
        }
        out.put(d.data()).flip();
        (d.srcPort() == Datagram.NAT_T_PORT ? natT : ike).send(out, UdpEndpoint.socketAddress(d.dst(), d.dstPort()));
    }

    private void writeKeyLog(IkeEffect.KeyLog k) throws IOException {
        if (keyLog != null) {
            keyLog.write(Hex.of(IsakmpHeader.cookieBytes(k.initiatorCookie())) + "," + Hex.of(k.encryptionKey())
                    + "\n");
            keyLog.flush();
        }
    }

    public long datagramsReceived() {
        return received;
    }

    /** Sends Deletes to every peer, then stops the loop and closes the sockets. */
    @Override
    public void close() throws IOException {
        if (!running) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(e -> {
            e.shutdown(System.currentTimeMillis());
            try {
                carryOut();
            } catch (IOException ex) {
                debugSink.accept("vpnrouter: could not send Deletes: " + ex);
            }
            running = false;
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
            loop.join(5_000);
        } catch (Exception e) {
            running = false;
        }
        selector.close();
        ike.close();
        natT.close();
        if (keyLog != null) {
            keyLog.close();
        }
    }
}
