package dev.vpnrouter.radius;

import dev.vpnrouter.radius.RadiusClient.Effect;
import dev.vpnrouter.radius.RadiusClient.Outcome;
import dev.vpnrouter.radius.RadiusClient.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The real-time shell of one {@link RadiusClient}: one UDP socket (bound to {@code ip radius source-interface}'s
 * address when set, else any, ephemeral port), one daemon thread that owns the client, a monotonic clock. Callers
 * on any thread get a future; it completes on the RADIUS thread, so a caller that must act on its own thread (the
 * router's loop) hands the result over itself. A slow or dead server never blocks a caller.
 *
 * <p>The socket is created in the calling thread's network namespace, which is where it stays.
 */
public final class RadiusTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RadiusTransport.class);

    private final RadiusClient client;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread thread;
    /** Work handed to the RADIUS thread: submissions and counter reads. */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<Long, CompletableFuture<Outcome>> waiting = new HashMap<>();
    private final ByteBuffer in = ByteBuffer.allocate(4096 + 1);
    private long nextTag;
    private volatile boolean closed;
    /** Set by {@link #retire}: the loop ends once every request in flight has its answer. */
    private volatile boolean retiring;

    public RadiusTransport(RadiusClient client, int sourceAddress) throws IOException {
        this.client = client;
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(sourceAddress == 0 ? InetAddress.getByName("0.0.0.0")
                    : inet(sourceAddress), 0));
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().daemon().name("vpnrouter-radius").unstarted(this::loop);
        thread.start();
    }

    /** Sends {@code request} through every server in order; completes with the answer or {@link Outcome.NoAnswer}. */
    public CompletableFuture<Outcome> submit(Request request) {
        return submit(request, null);
    }

    /** As {@link #submit(Request)}, through the servers {@code order} names (a group: indices into the client's). */
    public CompletableFuture<Outcome> submit(Request request, int[] order) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        if (closed) {
            result.complete(new Outcome.NoAnswer("RADIUS client closed"));
            return result;
        }
        tasks.add(() -> {
            long tag = nextTag++;
            waiting.put(tag, result);
            carryOut(order == null ? client.submit(tag, request, now()) : client.submit(tag, request, order, now()));
        });
        selector.wakeup();
        if (closed) {
            result.complete(new Outcome.NoAnswer("RADIUS client closed")); // the loop may have ended before the task
        }
        return result;
    }

    /** What each server has seen so far ({@code show aaa servers}), read on the RADIUS thread. */
    public CompletableFuture<List<ServerState>> servers() {
        CompletableFuture<List<ServerState>> out = new CompletableFuture<>();
        if (closed) {
            out.complete(List.of());
            return out;
        }
        tasks.add(() -> {
            long now = now();
            List<ServerState> states = new java.util.ArrayList<>();
            for (int i = 0; i < client.servers().size(); i++) {
                RadiusClient.ServerCounters c = client.counters(i);
                RadiusClient.Server s = client.servers().get(i);
                states.add(new ServerState(s.name(), s.address(), s.port(), c.deadAt(now), c.deadMillis(now),
                        c.deadCount, c.requests, c.retransmissions, c.timeouts, c.failovers, c.accountingRequests,
                        c.accountingRetransmissions, c.accountingTimeouts, c.accountingFailovers, c.accepts,
                        c.rejects, c.challenges, c.accountingResponses, c.badAuthenticators, c.malformed,
                        c.unexpected));
            }
            out.complete(List.copyOf(states));
        });
        selector.wakeup();
        if (closed) {
            out.complete(List.of());
        }
        return out;
    }

    /** One server's state and counters at one moment. */
    public record ServerState(String name, int address, int port, boolean dead, long deadMillis, long deadCount,
            long requests, long retransmissions, long timeouts, long failovers, long accountingRequests,
            long accountingRetransmissions, long accountingTimeouts, long accountingFailovers, long accepts,
            long rejects, long challenges, long accountingResponses, long badAuthenticators, long malformed,
            long unexpected) {
    }

    private void loop() {
        try {
            while (!closed && !(retiring && waiting.isEmpty() && tasks.isEmpty())) {
                long now = now();
                long deadline = client.nextDeadline();
                long wait = deadline == Long.MAX_VALUE ? 0 : Math.max(1, deadline - now);
                selector.select(wait);
                selector.selectedKeys().clear();
                now = now();
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                for (InetSocketAddress from; (from = receive()) != null; ) {
                    if (from.getAddress() instanceof Inet4Address a) {
                        carryOut(client.receive(address(a), from.getPort(), in.array(), in.limit(), now));
                    }
                }
                carryOut(client.tick(now));
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("RADIUS client stopped", e);
            }
        } finally {
            tasks.clear(); // submitted after the end: submit() saw closed, or their futures are completed below
            waiting.values().forEach(f -> f.complete(new Outcome.NoAnswer("RADIUS client closed")));
            if (!closed) { // retired: the loop that owned them lets them go
                closed = true;
                closeChannel();
            }
        }
    }

    /**
     * Takes no new work that matters to anyone (the owner has a successor for that) and lets go of the socket once
     * the requests in flight have ended, answered or given up on as usual: a reconfiguration does not fail a login
     * that is waiting for its server.
     */
    public void retire() {
        retiring = true;
        selector.wakeup();
    }

    private void closeChannel() {
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the RADIUS socket", e);
        }
    }

    private InetSocketAddress receive() throws IOException {
        in.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(in);
        in.flip();
        return from;
    }

    private void carryOut(List<Effect> effects) {
        for (Effect e : effects) {
            switch (e) {
                case Effect.Send s -> {
                    try {
                        channel.send(ByteBuffer.wrap(s.datagram()), new InetSocketAddress(
                                inet(s.server().address()), s.port()));
                    } catch (IOException ex) {
                        // Counted as silence: the retransmission timer and failover deal with it.
                        LOG.warn("RADIUS server {}: send failed: {}", s.server().name(), ex.toString());
                    }
                }
                case Effect.Done d -> {
                    CompletableFuture<Outcome> f = waiting.remove(d.tag());
                    if (f != null) {
                        f.complete(d.outcome());
                    }
                }
            }
        }
    }

    private static InetAddress inet(int address) throws java.net.UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                (byte) (address >>> 8), (byte) address});
    }

    private static int address(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel();
    }
}
