package dev.vpnrouter.router;

import dev.vpnrouter.net.PacketBatch;
import dev.vpnrouter.net.UdpIkeSocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;

/**
 * One IKE port (UDP 500 or 4500) of the runtime: our socket ({@link UdpIkeSocket}, 8 MiB receive buffer where
 * allowed) and a reader thread that takes batches with {@code recvmmsg} and queues them in an {@link IkeIntake} for
 * the loop, so the kernel's buffer is emptied while the loop does Diffie-Hellman. The loop sends through
 * {@link #socket()} directly.
 */
public final class IkePort implements AutoCloseable {
    /** Datagrams per queue, and bytes in both: a burst of 10,000 peers' first messages fits. */
    static final int QUEUE_CAPACITY = 16_384;
    static final long QUEUE_BYTES = 32L << 20;
    private static final int BATCH = 32;

    private final UdpIkeSocket socket;
    private final IkeIntake intake;
    private final Runnable wake;
    private final Consumer<String> log;
    private final Thread reader;
    private volatile long received;
    private volatile long kernelDrops;

    private IkePort(UdpIkeSocket socket, Runnable wake, Consumer<String> log) {
        this.socket = socket;
        this.intake = new IkeIntake(socket.port() == dev.vpnrouter.net.UdpEndpoint.NAT_T_PORT, QUEUE_CAPACITY,
                QUEUE_BYTES);
        this.wake = wake;
        this.log = log;
        this.reader = Thread.ofPlatform().name("vpnrouter-ike-rx-" + socket.port()).daemon(true)
                .unstarted(this::read);
    }

    /**
     * Binds {@code address:port} (see {@link UdpIkeSocket#open}) and starts reading; {@code wake} is called after
     * each batch queued (the loop's wakeup), {@code log} gets the reader's failure, if any.
     */
    public static IkePort open(int address, int port, boolean reusePort, Runnable wake, Consumer<String> log)
            throws IOException {
        IkePort p = new IkePort(UdpIkeSocket.open(address, port, reusePort), wake, log);
        p.reader.start();
        return p;
    }

    private void read() {
        boolean told = false;
        try (PacketBatch batch = PacketBatch.withDropCount(BATCH, 65_536)) {
            while (socket.isOpen()) {
                int n;
                try {
                    n = socket.receive(batch, -1);
                } catch (ClosedChannelException e) {
                    return; // closed: the port's life is over
                } catch (IOException e) {
                    // A receive error the kernel reports (e.g. ENOMEM) loses that datagram, not the port: go on,
                    // after a pause so a persistent one cannot spin; said once.
                    if (!told) {
                        log.accept("vpnrouter: IKE receive on port " + socket.port() + " failed (going on): " + e);
                        told = true;
                    }
                    Thread.sleep(10);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    byte[] data = new byte[batch.length(i)];
                    batch.copyOut(i, 0, data, 0);
                    intake.offer(new IkeIntake.Received(data, batch.address(i), batch.port(i)));
                }
                received += n;
                kernelDrops = batch.kernelDrops();
                if (n > 0) {
                    wake.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.accept("vpnrouter: IKE reader on port " + socket.port() + " stopped: " + e);
        }
    }

    public UdpIkeSocket socket() {
        return socket;
    }

    /** The queues the loop serves. */
    public IkeIntake intake() {
        return intake;
    }

    public long received() {
        return received;
    }

    /** Datagrams the kernel dropped on this socket for a full receive buffer (SO_RXQ_OVFL), as last reported. */
    public long kernelDrops() {
        return kernelDrops;
    }

    /** Closes the socket; the reader ends at once. Datagrams still queued stay readable. */
    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
