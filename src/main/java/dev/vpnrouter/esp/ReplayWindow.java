package dev.vpnrouter.esp;

/**
 * RFC 4303 3.4.3 anti-replay window over 64-bit sequence numbers, as a ring of bitmap words
 * (the RFC 6479 layout): advancing the window clears whole words instead of shifting bits, so a
 * 1024-packet window costs no more per packet than a 64-packet one.
 *
 * <p>{@link #check} before the ICV is verified; {@link #update} only after it passed, so forged
 * packets cannot move the window. A size of 0 disables replay protection (IOS
 * {@code set security-association replay disable}).
 */
public final class ReplayWindow {
    public static final int DEFAULT_SIZE = 64;
    public static final int MAX_SIZE = 1024;

    private final int size;
    private final long[] ring;
    private final int wordMask;
    /** Highest sequence number accepted so far (unsigned); 0 before the first packet. */
    private long top;

    public ReplayWindow(int size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("replay window must be 0.." + MAX_SIZE + ", got " + size);
        }
        this.size = size;
        int words = Integer.highestOneBit(((size + 63) >>> 6) + 1);
        if (words < ((size + 63) >>> 6) + 1) {
            words <<= 1;
        }
        this.ring = new long[words];
        this.wordMask = words - 1;
    }

    public int size() {
        return size;
    }

    public boolean enabled() {
        return size > 0;
    }

    /** Highest sequence number accepted so far (unsigned), 0 if none. */
    public long highest() {
        return top;
    }

    /** Whether {@code seq} (unsigned) is new and inside the window. Does not change the window. */
    public boolean check(long seq) {
        if (size == 0) {
            return true;
        }
        if (seq == 0) {
            return false;
        }
        if (Long.compareUnsigned(seq, top) > 0) {
            return true;
        }
        if (Long.compareUnsigned(top - seq, size) >= 0) {
            return false;
        }
        return (ring[(int) (seq >>> 6) & wordMask] & (1L << seq)) == 0;
    }

    /** Records {@code seq} as received; call only after {@link #check} and the ICV both passed. */
    public void update(long seq) {
        if (Long.compareUnsigned(seq, top) > 0) {
            long topWord = top >>> 6;
            long seqWord = seq >>> 6;
            if (Long.compareUnsigned(seqWord - topWord, ring.length) >= 0) {
                java.util.Arrays.fill(ring, 0L);
            } else {
                for (long w = topWord + 1; w != seqWord + 1; w++) {
                    ring[(int) w & wordMask] = 0L;
                }
            }
            top = seq;
        }
        if (size > 0) {
            ring[(int) (seq >>> 6) & wordMask] |= 1L << seq;
        }
    }

    /**
     * The full 64-bit sequence number of a packet carrying {@code low} under Extended Sequence
     * Numbers, inferred from the window as in RFC 4303 appendix A2.2. Returns 0 (which
     * {@link #check} rejects) when the packet would lie before the first sequence number.
     */
    public long esnSequence(int low) {
        long w = Math.max(size, 1);
        long tl = top & 0xFFFFFFFFL;
        long th = top >>> 32;
        long sl = low & 0xFFFFFFFFL;
        long sh;
        if (tl >= w - 1) {
            sh = sl >= tl - w + 1 ? th : th + 1;
        } else {
            long edge = (tl - w + 1) & 0xFFFFFFFFL;
            if (sl >= edge) {
                if (th == 0) {
                    return 0;
                }
                sh = th - 1;
            } else {
                sh = th;
            }
        }
        return (sh << 32) | sl;
    }
}
