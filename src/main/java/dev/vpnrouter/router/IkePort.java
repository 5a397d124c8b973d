package dev.vpnrouter.router;

import dev.vpnrouter.net.PacketBatch;
import dev.vpnrouter.net.UdpIkeSocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One IKE port (UDP 500 or 4500) of the runtime: our socket ({@link UdpIkeSocket}, 8 MiB receive buffer where
 * allowed), or on a steered port two of them (first messages, and datagrams carrying our responder cookie: see
 * {@link UdpIkeSocket#openSteered}), and a reader thread per socket that takes batches with {@code recvmmsg} and
 * queues them in one {@link IkeIntake} for the loop, so the kernel's buffers are emptied while the loop does
 * Diffie-Hellman. The loop sends through {@link #socket()} directly.
 */
public final class IkePort implements AutoCloseable {
    /** Datagrams per queue of datagrams carrying our cookie, and bytes in both: a rekey wave of 10,000 peers fits. */
    static final int QUEUE_CAPACITY = 16_384;
    static final long QUEUE_BYTES = 32L << 20;
    /**
     * First messages waiting for the loop: a new peer's MM1 waits behind at most this many, about 0.1 s at the
     * 20,000 a second the loop answers on this machine; a burst past it is dropped there (peers retransmit).
     */
    static final int FIRST_QUEUE_CAPACITY = 2_048;
    private static final int BATCH = 32;

    private final UdpIkeSocket socket;
    /** The steered pair's second socket (datagrams with a responder cookie), or null. */
    private final UdpIkeSocket proven;
    private final IkeIntake intake;
    /** Port 4500: IKE after a non-ESP marker. */
    private final boolean nonEspMarker;
    private final Runnable wake;
    private final Consumer<String> log;
    private final Thread reader;
    private final Thread provenReader;
    private final AtomicLong received = new AtomicLong();
    private volatile long kernelDrops;
    private volatile long provenKernelDrops;
    /** First messages each reader refused past their source's budget ({@link FirstMessageAdmission}). */
    private volatile long admissionDrops;
    /** Peers exempt from the first-message budget ({@link KnownPeers}); read by the reader threads. */
    private final java.util.function.IntPredicate known;
    private volatile long provenAdmissionDrops;

    private IkePort(UdpIkeSocket socket, UdpIkeSocket proven, Runnable wake, Consumer<String> log,
            java.util.function.IntPredicate known) {
        this.known = known;
        this.socket = socket;
        this.proven = proven;
        this.nonEspMarker = socket.port() == dev.vpnrouter.net.UdpEndpoint.NAT_T_PORT;
        this.intake = new IkeIntake(nonEspMarker, QUEUE_CAPACITY, FIRST_QUEUE_CAPACITY, QUEUE_BYTES);
        this.wake = wake;
        this.log = log;
        this.reader = Thread.ofPlatform().name("vpnrouter-ike-rx-" + socket.port()).daemon(true)
                .unstarted(() -> read(socket, false));
        this.provenReader = proven == null ? null
                : Thread.ofPlatform().name("vpnrouter-ike-rx-" + socket.port() + "-proven").daemon(true)
                        .unstarted(() -> read(proven, true));
    }

    /**
     * Binds {@code address:port} (see {@link UdpIkeSocket#open}) and starts reading; {@code wake} is called after
     * each batch queued (the loop's wakeup), {@code log} gets the reader's failure, if any.
     */
    public static IkePort open(int address, int port, boolean reusePort, Runnable wake, Consumer<String> log)
            throws IOException {
        IkePort p = new IkePort(UdpIkeSocket.open(address, port, reusePort), null, wake, log, a -> false);
        p.reader.start();
        return p;
    }

    /**
     * Binds {@code address:port} as a steered pair ({@link UdpIkeSocket#openSteered}: no other socket can join)
     * and starts a reader on each.
     */
    public static IkePort openSteered(int address, int port, Runnable wake, Consumer<String> log)
            throws IOException {
        return openSteered(address, port, wake, log, a -> false);
    }

    /** As {@link #openSteered(int, int, Runnable, Consumer)}; first messages from {@code known} peers skip the budget. */
    static IkePort openSteered(int address, int port, Runnable wake, Consumer<String> log,
            java.util.function.IntPredicate known) throws IOException {
        UdpIkeSocket.Steered pair = UdpIkeSocket.openSteered(address, port);
        IkePort p = new IkePort(pair.firstMessages(), pair.proven(), wake, log, known);
        p.reader.start();
        p.provenReader.start();
        return p;
    }

    private void read(UdpIkeSocket socket, boolean isProven) {
        boolean told = false;
        FirstMessageAdmission admission = new FirstMessageAdmission();
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
                long now = System.nanoTime();
                int queued = 0;
                for (int i = 0; i < n; i++) {
                    // A peer we hold an established SA with skips the budget: a flood forged with its address
                    // must not drop its own renewal here (KnownPeers).
                    int admitted = IkeIntake.isFirstMessage(batch, i, nonEspMarker) && !known.test(batch.address(i))
                            ? admission.admit(batch.address(i), now) : FirstMessageAdmission.ADMITTED;
                    if (admitted == FirstMessageAdmission.REFUSED) {
                        continue; // past its source's budget: not copied, not queued, counted below
                    }
                    byte[] data = new byte[batch.length(i)];
                    batch.copyOut(i, 0, data, 0);
                    if (intake.offer(new IkeIntake.Received(data, batch.address(i), batch.port(i)),
                            admitted == FirstMessageAdmission.FRESH)) {
                        queued++;
                    }
                }
                received.addAndGet(n);
                if (isProven) {
                    provenKernelDrops = batch.kernelDrops();
                    provenAdmissionDrops = admission.refused();
                } else {
                    kernelDrops = batch.kernelDrops();
                    admissionDrops = admission.refused();
                }
                if (queued > 0) {
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

    /** The steered pair's socket for datagrams carrying a responder cookie, or null on a single-socket port. */
    public UdpIkeSocket provenSocket() {
        return proven;
    }

    public long received() {
        return received.get();
    }

    /**
     * Datagrams the kernel dropped on this port's sockets for a full receive buffer (SO_RXQ_OVFL), as last reported.
     */
    public long kernelDrops() {
        return kernelDrops + provenKernelDrops;
    }

    /** Of {@link #kernelDrops}, those on the steered pair's proven socket (0 on a single-socket port). */
    public long provenKernelDrops() {
        return provenKernelDrops;
    }

    /** First messages the readers dropped past their source's budget ({@link FirstMessageAdmission}). */
    public long admissionDrops() {
        return admissionDrops + provenAdmissionDrops;
    }

    /** Closes the sockets; the readers end at once. Datagrams still queued stay readable. */
    @Override
    public void close() {
        socket.close();
        if (proven != null) {
            proven.close();
        }
        try {
            reader.join(2_000);
            if (provenReader != null) {
                provenReader.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
