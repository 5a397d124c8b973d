package dev.vpnrouter.net;

import java.io.IOException;

/**
 * The kernel refused an rtnetlink request: the request in {@code ip}'s words, then the answer as {@code ip} prints
 * it ({@code RTNETLINK answers: File exists}), with the kernel's own explanation when it gave one (extended ACK).
 */
public final class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NetlinkException(String request, int errno, String kernelText) {
        super(request + ": RTNETLINK answers: " + Libc.strerror(errno)
                + (kernelText == null || kernelText.isEmpty() ? "" : ": " + kernelText));
        this.errno = errno;
    }

    /** The positive errno the kernel answered, e.g. {@link Libc#EEXIST}. */
    public int errno() {
        return errno;
    }
}
