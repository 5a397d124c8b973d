package dev.vpnrouter.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the Linux edge needs, bound with {@code java.lang.foreign} (no JNI). Every call that can fail
 * captures {@code errno} through {@link Linker.Option#captureCallState} and throws {@link ErrnoException} with the
 * strerror text; callers that expect {@code EAGAIN} or {@code EINTR} catch it and look at {@link ErrnoException#errno()}.
 *
 * <p>Constants are the x86-64/aarch64 Linux values.
 */
public final class Libc {
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EBADF = 9;
    public static final int ENOBUFS = 105;
    public static final int EINVAL = 22;
    public static final int EIO = 5;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EADDRINUSE = 98;

    public static final int O_RDWR = 0x2;
    public static final int O_RDONLY = 0x0;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int IPPROTO_ESP = 50;

    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_REUSEPORT = 15;
    /** As SO_RCVBUF but past {@code net.core.rmem_max}; needs CAP_NET_ADMIN (root in the socket's namespace). */
    public static final int SO_RCVBUFFORCE = 33;
    /** Each received message carries the socket's count of datagrams dropped for a full buffer (a uint32). */
    public static final int SO_RXQ_OVFL = 40;
    public static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    public static final int SOL_UDP = 17;
    public static final int UDP_SEGMENT = 103;
    public static final int UDP_GRO = 104;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    public static final int CLONE_NEWNET = 0x40000000;

    /** {@code struct sockaddr_in}: family (host order), port and address (network order), 8 bytes of zero. */
    public static final int SOCKADDR_IN_SIZE = 16;

    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    public static final int POLLFD_SIZE = 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    /** One capture buffer per thread; auto arena so it goes away with short-lived (virtual) threads. */
    private static final ThreadLocal<MemorySegment> CAPTURE_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle OPEN = capturing("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ =
            capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE =
            capturing("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL =
            capturing("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SOCKET =
            capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND =
            capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME =
            capturing("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = capturing("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = capturing("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMMSG = capturing("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = capturing("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = capturing("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = capturing("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle EVENTFD =
            capturing("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETNS = capturing("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle ISATTY = LINKER.downcallHandle(LIBC.find("isatty").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE);
    }

    private static MemorySegment state() {
        return CAPTURE_STATE.get();
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static ErrnoException failure(String call, MemorySegment state, String detail) {
        return new ErrnoException(call, errno(state), detail);
    }

    /** {@code strerror(3)}; never fails (unknown numbers give "Unknown error n"). */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(512).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** {@code isatty(3)}: whether the descriptor is a terminal (false for anything else, a closed one included). */
    public static boolean isatty(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state();
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags);
            if (fd < 0) {
                throw failure("open", state, path);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void close(int fd) throws ErrnoException {
        try {
            MemorySegment state = state();
            int rc = (int) CLOSE.invokeExact(state, fd);
            if (rc < 0) {
                throw failure("close", state, "fd " + fd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with a pointer argument; {@code name} labels the error message. */
    public static int ioctl(int fd, long request, MemorySegment arg, String name) throws ErrnoException {
        try {
            MemorySegment state = state();
            int rc = (int) IOCTL.invokeExact(state, fd, request, arg);
            if (rc < 0) {
                throw failure("ioctl(" + name + ")", state, null);
            }
            return rc;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long count) throws ErrnoException {
        try {
            MemorySegment state = state();
            long n = (long) READ.invokeExact(state, fd, buf, count);
            if (n < 0) {
                throw failure("read", state, null);
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long count) throws ErrnoException {
        try {
            MemorySegment state = state();
            long n = (long) WRITE.invokeExact(state, fd, buf, count);
            if (n < 0) {
                throw failure("write", state, null);
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code poll(2)} over {@code nfds} {@link #POLLFD_SIZE}-byte entries; returns the number ready, 0 on timeout. */
    public static int poll(MemorySegment fds, int nfds, int timeoutMillis) throws ErrnoException {
        try {
            MemorySegment state = state();
            int n = (int) POLL.invokeExact(state, fds, (long) nfds, timeoutMillis);
            if (n < 0) {
                throw failure("poll", state, null);
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        try {
            MemorySegment state = state();
            int fd = (int) SOCKET.invokeExact(state, domain, type, protocol);
            if (fd < 0) {
                throw failure("socket", state, "domain " + domain + " type " + type + " protocol " + protocol);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void bind(int fd, MemorySegment addr, int addrLen, String what) throws ErrnoException {
        try {
            MemorySegment state = state();
            int rc = (int) BIND.invokeExact(state, fd, addr, addrLen);
            if (rc < 0) {
                throw failure("bind", state, what);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The port an AF_INET socket is bound to ({@code getsockname(2)}): what the kernel chose for port 0. */
    public static int boundPort(int fd) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment sa = call.allocate(SOCKADDR_IN_SIZE, 4);
            MemorySegment len = call.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, SOCKADDR_IN_SIZE);
            MemorySegment state = state();
            int rc = (int) GETSOCKNAME.invokeExact(state, fd, sa, len);
            if (rc < 0) {
                throw failure("getsockname", state, null);
            }
            return (Byte.toUnsignedInt(sa.get(ValueLayout.JAVA_BYTE, 2)) << 8)
                    | Byte.toUnsignedInt(sa.get(ValueLayout.JAVA_BYTE, 3));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen)
            throws ErrnoException {
        try {
            MemorySegment state = state();
            long n = (long) SENDTO.invokeExact(state, fd, buf, len, flags, addr, addrLen);
            if (n < 0) {
                throw failure("sendto", state, null);
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code recvfrom(2)}; {@code addr}/{@code addrLen} may be {@link MemorySegment#NULL}. */
    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr,
            MemorySegment addrLen) throws ErrnoException {
        try {
            MemorySegment state = state();
            long n = (long) RECVFROM.invokeExact(state, fd, buf, len, flags, addr, addrLen);
            if (n < 0) {
                throw failure("recvfrom", state, null);
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code read(2)} for hot loops: returns the byte count, or minus errno ({@code -EAGAIN} when nothing waits on
     * a non-blocking fd) instead of throwing, so an empty queue costs no exception.
     */
    public static long readOrErrno(int fd, MemorySegment buf, long count) {
        try {
            MemorySegment state = state();
            long n = (long) READ.invokeExact(state, fd, buf, count);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code write(2)} for hot loops: the byte count, or minus errno. */
    public static long writeOrErrno(int fd, MemorySegment buf, long count) {
        try {
            MemorySegment state = state();
            long n = (long) WRITE.invokeExact(state, fd, buf, count);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code recvmmsg(2)} without a timeout: messages received, or minus errno. */
    public static int recvmmsgOrErrno(int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            MemorySegment state = state();
            int n = (int) RECVMMSG.invokeExact(state, fd, msgvec, vlen, flags, MemorySegment.NULL);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code sendmmsg(2)}: messages sent, or minus errno. */
    public static int sendmmsgOrErrno(int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            MemorySegment state = state();
            int n = (int) SENDMMSG.invokeExact(state, fd, msgvec, vlen, flags);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code setsockopt} with an {@code int} value. */
    public static void setsockopt(int fd, int level, int option, int value, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value), (int) JAVA_INT.byteSize(), name);
        }
    }

    /** {@code setsockopt} with a value in native memory ({@code length} bytes of {@code value}). */
    public static void setsockopt(int fd, int level, int option, MemorySegment value, int length, String name)
            throws ErrnoException {
        try {
            MemorySegment state = state();
            int rc = (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, length);
            if (rc < 0) {
                throw failure("setsockopt(" + name + ")", state, null);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code getsockopt} of an {@code int} option. */
    public static int getsockoptInt(int fd, int level, int option, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) JAVA_INT.byteSize());
            MemorySegment state = state();
            int rc = (int) GETSOCKOPT.invokeExact(state, fd, level, option, value, length);
            if (rc < 0) {
                throw failure("getsockopt(" + name + ")", state, null);
            }
            return value.get(JAVA_INT, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int eventfd(int initval, int flags) throws ErrnoException {
        try {
            MemorySegment state = state();
            int fd = (int) EVENTFD.invokeExact(state, initval, flags);
            if (fd < 0) {
                throw failure("eventfd", state, null);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code setns(2)}: moves the calling OS thread into the namespace {@code fd} refers to. */
    public static void setns(int fd, int nstype) throws ErrnoException {
        try {
            MemorySegment state = state();
            int rc = (int) SETNS.invokeExact(state, fd, nstype);
            if (rc < 0) {
                throw failure("setns", state, null);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Fills {@code sa} (at least {@link #SOCKADDR_IN_SIZE} bytes) with an AF_INET address. */
    public static void sockaddrIn(MemorySegment sa, int address, int port) {
        sa.fill((byte) 0);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET); // host order
        sa.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        sa.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        sa.set(ValueLayout.JAVA_BYTE, 4, (byte) (address >>> 24));
        sa.set(ValueLayout.JAVA_BYTE, 5, (byte) (address >>> 16));
        sa.set(ValueLayout.JAVA_BYTE, 6, (byte) (address >>> 8));
        sa.set(ValueLayout.JAVA_BYTE, 7, (byte) address);
    }
}
