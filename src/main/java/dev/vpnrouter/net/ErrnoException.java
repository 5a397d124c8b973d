package dev.vpnrouter.net;

import java.io.IOException;

/** A failed libc call: which call, the errno and its strerror text, so logs say what the kernel refused. */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno, String detail) {
        super(call + " failed: " + Libc.strerror(errno) + " (errno " + errno + ")"
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.call = call;
        this.errno = errno;
    }

    /** The libc function that failed, e.g. {@code "ioctl(TUNSETIFF)"}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
