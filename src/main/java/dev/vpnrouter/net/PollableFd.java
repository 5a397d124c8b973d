package dev.vpnrouter.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A non-blocking file descriptor with an eventfd beside it, so that {@link #close()} wakes a thread waiting in
 * {@code poll()} at once: a blocking {@code read()} on a TUN fd is woken neither by {@code close()} nor by an
 * interrupt. I/O holds the read side of a lock and close takes the write side, so the fd number is never closed
 * (and reused by the kernel) while another thread is still using it.
 */
abstract class PollableFd implements AutoCloseable {
    protected final int fd;
    private final int wakeFd;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Two pollfd entries per thread: a data thread polls on every wakeup, which should not allocate. */
    private static final ThreadLocal<MemorySegment> POLL_FDS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(2L * Libc.POLLFD_SIZE, 8));

    PollableFd(int fd) throws ErrnoException {
        this.fd = fd;
        int wake;
        try {
            wake = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        } catch (ErrnoException e) {
            quietClose(fd);
            throw e;
        }
        this.wakeFd = wake;
    }

    /** What {@link #toString()} and error messages call this descriptor. */
    abstract String describe();

    public final boolean isOpen() {
        return !closed;
    }

    /** Enters an I/O section; pair with {@link #end()}. Throws when already closed. */
    final void begin() throws ClosedChannelException {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new ClosedChannelException();
        }
    }

    final void end() {
        lock.readLock().unlock();
    }

    /**
     * For a read with an overall timeout: waits for POLLIN until {@code deadlineNanos} ({@link System#nanoTime}),
     * or forever when {@code timeoutMillis} is negative. False when the time is up without data.
     */
    final boolean awaitReadableUntil(long deadlineNanos, long timeoutMillis) throws IOException {
        long wait = -1;
        if (timeoutMillis >= 0) {
            long leftNanos = deadlineNanos - System.nanoTime();
            if (leftNanos <= 0) {
                return false;
            }
            wait = (leftNanos + 999_999L) / 1_000_000L;
        }
        return await(Libc.POLLIN, wait) != 0;
    }

    /**
     * Waits (inside a {@link #begin()} section) until the fd has one of {@code events}, the timeout passes or the
     * fd is closed. Returns the fd's revents, 0 on timeout. A negative timeout waits forever (until close).
     */
    final int await(short events, long timeoutMillis) throws IOException {
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        MemorySegment fds = POLL_FDS.get();
        {
            while (true) {
                fds.set(ValueLayout.JAVA_INT, 0, fd);
                fds.set(ValueLayout.JAVA_SHORT, 4, events);
                fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                fds.set(ValueLayout.JAVA_INT, 8, wakeFd);
                fds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
                fds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
                int wait;
                if (timeoutMillis < 0) {
                    wait = -1;
                } else {
                    long left = (deadline - System.nanoTime() + 999_999L) / 1_000_000L;
                    wait = (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
                }
                int n;
                try {
                    n = Libc.poll(fds, 2, wait);
                } catch (ErrnoException e) {
                    if (e.errno() == Libc.EINTR) {
                        continue;
                    }
                    throw e;
                }
                if (closed) {
                    throw new ClosedChannelException();
                }
                if (n > 0) {
                    short revents = fds.get(ValueLayout.JAVA_SHORT, 6);
                    if ((revents & Libc.POLLNVAL) != 0) {
                        throw new IOException(describe() + ": poll reports an invalid fd");
                    }
                    if (revents != 0) {
                        return revents;
                    }
                }
                if (timeoutMillis >= 0 && System.nanoTime() - deadline >= 0) {
                    return 0;
                }
            }
        }
    }

    /**
     * Waits at most {@code timeoutMillis} (negative: until close) until a read would not block; true when readable.
     *
     * @throws java.nio.channels.ClosedChannelException when closed before or while waiting
     */
    public final boolean awaitReadable(long timeoutMillis) throws IOException {
        begin();
        try {
            return await(Libc.POLLIN, timeoutMillis) != 0;
        } finally {
            end();
        }
    }

    /** Closes the fd; a thread blocked in {@code poll()} on it returns at once with ClosedChannelException. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            Libc.write(wakeFd, arena.allocateFrom(ValueLayout.JAVA_LONG, 1L), 8);
        } catch (ErrnoException e) {
            // eventfd counter full cannot happen with one write; nothing else to do.
        }
        lock.writeLock().lock();
        try {
            quietClose(fd);
            quietClose(wakeFd);
            afterClose();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Releases what a subclass owns besides the fd; runs once, after all I/O sections ended. */
    void afterClose() {
    }

    private static void quietClose(int fd) {
        try {
            Libc.close(fd);
        } catch (ErrnoException e) {
            // Linux releases the descriptor even when close reports an error.
        }
    }

    @Override
    public String toString() {
        return describe() + (closed ? " (closed)" : "");
    }
}
