package dev.vpnrouter.router;

import dev.vpnrouter.radius.RadiusClient;
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

    /** Sends {@code request}; the future completes with the answer or {@link Outcome.NoAnswer}. */
    public CompletableFuture<Outcome> submit(Request request) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        if (closed) {
            result.complete(new Outcome.NoAnswer("RADIUS client closed"));
            return result;
        }
        tasks.add(() -> {
            long tag = nextTag++;
            waiting.put(tag, result);
            carryOut(client.submit(tag, request, now()));
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
        tasks.add(() -> {
            long now = now();
            List<ServerState> states = new java.util.ArrayList<>();
            for (int i = 0; i < client.servers().size(); i++) {
                RadiusClient.ServerCounters c = client.counters(i);
                states.add(new ServerState(client.servers().get(i).name(), c.deadAt(now), c.requests,
                        c.retransmissions, c.timeouts, c.accepts, c.rejects, c.challenges, c.accountingResponses,
                        c.badAuthenticators, c.malformed, c.unexpected));
            }
            out.complete(List.copyOf(states));
        });
        selector.wakeup();
        return out;
    }

    /** One server's state and counters at one moment. */
    public record ServerState(String name, boolean dead, long requests, long retransmissions, long timeouts,
            long accepts, long rejects, long challenges, long accountingResponses, long badAuthenticators,
            long malformed, long unexpected) {
    }

    private void loop() {
        try {
            while (!closed) {
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
                                inet(s.server().address()), s.server().port()));
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
            selector.close();
            channel.close();
        } catch (IOException | InterruptedException e) {
            LOG.debug("closing the RADIUS client", e);
        }
    }
}
