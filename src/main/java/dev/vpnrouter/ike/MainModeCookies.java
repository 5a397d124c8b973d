package dev.vpnrouter.ike;

import java.security.SecureRandom;

/**
 * Stateless Main Mode under pressure (issue 16). Once the half-open SAs reach the in-negotiation limit (or a
 * threshold set for tests), MM1 is answered without an SA instead of evicting anyone's negotiation:
 * its bytes (SAi_b for HASH_I/HASH_R, and what the proposal was chosen from) go into a fixed arena, overwritten
 * round-robin, and the responder cookie names the arena entry and carries a keyed MAC over (initiator cookie, peer
 * address, entry, generation). Only an MM3 that echoes such a cookie from the address MM2 went to, while its entry
 * is intact, makes an SA: a spoofed source never sees MM2, so it can never make one. Sans-IO: time and randomness
 * come in. Nothing is kept per MM1 beyond the arena and the entry table, allocated once (at the first use, as are
 * the keys, so an engine that never needs cookies draws nothing from its random source).
 *
 * <p>The proposal is chosen again from the kept MM1 when MM3 redeems it: the same policy makes the same choice (after
 * a reconfiguration in between, the new policy's, and a peer whose KE no longer fits is refused as usual).
 *
 * <p>The MAC is SipHash-2-4 (a keyed PRF made for short inputs, cheap enough for every flooded MM1) under a key
 * that rotates every {@link #ROTATE_MILLIS}; an entry made under the key before the last rotation still verifies,
 * older ones do not.
 */
final class MainModeCookies {
    /** Arena for MM1s: a flood overwrites the oldest first. */
    static final int ARENA_BYTES = 4 << 20;
    /** Entries (a power of two): the cookie's top bits name one. */
    static final int ENTRIES = 16_384;
    /** An MM1 larger than this is not kept (a generous bound: the seed spoke's MM1 is 196 bytes). */
    static final int MAX_MESSAGE1 = 8_192;
    static final long ROTATE_MILLIS = 60_000;

    private static final int INDEX_BITS = Integer.numberOfTrailingZeros(ENTRIES);
    private static final int MAC_BITS = 64 - INDEX_BITS;
    private static final long MAC_MASK = (1L << MAC_BITS) - 1;

    private final SecureRandom random;
    /** Allocated at the first stateless answer: most engines (spokes, the lab's routers) never need it. */
    private byte[] arena;
    /** Bytes ever written into the arena (absolute): a message at absolute start s is intact while head <= s + size. */
    private long head;
    private int nextEntry;

    private long[] start;
    /** Length of the entry's MM1; negative ({@code -1 - length}) when it was redeemed; 0 when never used. */
    private int[] length;
    private long[] initiatorCookie;
    private int[] peerAddress;
    private int[] peerPort;
    private int[] localPort;
    private int[] generation;
    private long[] keyEpoch;

    private final long[] sipState = new long[4];
    private long k0;
    private long k1;
    private long previousK0;
    private long previousK1;
    private long epoch;
    private long rotatedAtMillis = Long.MIN_VALUE;

    /** Half-open SAs from which MM1 is answered statelessly; negative: the in-negotiation limit. */
    private int threshold = -1;

    MainModeCookies(SecureRandom random) {
        this.random = random;
    }

    private void allocate() {
        arena = new byte[ARENA_BYTES];
        start = new long[ENTRIES];
        length = new int[ENTRIES];
        initiatorCookie = new long[ENTRIES];
        peerAddress = new int[ENTRIES];
        peerPort = new int[ENTRIES];
        localPort = new int[ENTRIES];
        generation = new int[ENTRIES];
        keyEpoch = new long[ENTRIES];
        k0 = random.nextLong();
        k1 = random.nextLong();
        previousK0 = k0;
        previousK1 = k1;
    }

    /** From this many half-open SAs on, MM1 gets a stateless answer (0: always); negative restores the default. */
    void threshold(int halfOpen) {
        this.threshold = halfOpen;
    }

    /** True when MM1 should be answered statelessly, with {@code halfOpen} half-open SAs and this total limit. */
    boolean inUse(int halfOpen, int inNegotiationLimit) {
        return halfOpen >= (threshold >= 0 ? threshold : inNegotiationLimit);
    }

    /**
     * Keeps {@code message1} (MM1 as received) for the peer and returns the responder cookie for MM2, or 0 when the
     * message is too large to keep.
     */
    long issue(byte[] message1, long icookie, int peer, int port, int ourPort, long now) {
        if (message1.length > MAX_MESSAGE1) {
            return 0;
        }
        if (arena == null) {
            allocate();
        }
        rotateIfDue(now);
        int index = nextEntry;
        nextEntry = (nextEntry + 1) & (ENTRIES - 1);
        int at = (int) (head % ARENA_BYTES);
        if (at + message1.length > ARENA_BYTES) {
            head += ARENA_BYTES - at; // wrap: the message is kept whole
            at = 0;
        }
        System.arraycopy(message1, 0, arena, at, message1.length);
        start[index] = head;
        head += message1.length;
        length[index] = message1.length;
        initiatorCookie[index] = icookie;
        peerAddress[index] = peer;
        peerPort[index] = port;
        localPort[index] = ourPort;
        generation[index]++;
        keyEpoch[index] = epoch;
        return cookie(index, k0, k1);
    }

    /**
     * The entry an MM3 with these cookies from {@code peer} redeems, or -1 when the cookie does not verify, the entry
     * was overwritten or redeemed, or its key is older than the last rotation. A redeemed entry is spent.
     */
    int redeem(long icookie, long rcookie, int peer, long now) {
        if (arena == null) {
            return -1;
        }
        rotateIfDue(now);
        int index = (int) (rcookie >>> MAC_BITS);
        if (length[index] <= 0 || initiatorCookie[index] != icookie || peerAddress[index] != peer
                || head > start[index] + ARENA_BYTES) {
            return -1;
        }
        long expected;
        if (keyEpoch[index] == epoch) {
            expected = cookie(index, k0, k1);
        } else if (keyEpoch[index] == epoch - 1) {
            expected = cookie(index, previousK0, previousK1);
        } else {
            return -1;
        }
        if (expected != rcookie) {
            return -1;
        }
        length[index] = -1 - length[index]; // spent, length still readable by message1
        return index;
    }

    /** The MM1 kept in a redeemed entry. */
    byte[] message1(int index) {
        int len = -1 - length[index];
        byte[] copy = new byte[len];
        System.arraycopy(arena, (int) (start[index] % ARENA_BYTES), copy, 0, len);
        return copy;
    }

    int peerPort(int index) {
        return peerPort[index];
    }

    int localPort(int index) {
        return localPort[index];
    }

    private void rotateIfDue(long now) {
        if (rotatedAtMillis == Long.MIN_VALUE) {
            rotatedAtMillis = now;
            return;
        }
        // Once per period; after two or more periods idle, the previous key is a fresh one too.
        for (int step = 0; step < 2 && now - rotatedAtMillis >= ROTATE_MILLIS; step++) {
            previousK0 = k0;
            previousK1 = k1;
            k0 = random.nextLong();
            k1 = random.nextLong();
            epoch++;
            rotatedAtMillis = now - rotatedAtMillis >= 2 * ROTATE_MILLIS ? rotatedAtMillis + ROTATE_MILLIS : now;
        }
    }

    private long cookie(int index, long key0, long key1) {
        long mac = sipHash24(sipState, key0, key1, initiatorCookie[index],
                (Integer.toUnsignedLong(peerAddress[index]) << 32) | index, Integer.toUnsignedLong(generation[index]));
        long c = ((long) index << MAC_BITS) | (mac & MAC_MASK);
        return c == 0 ? 1 : c;
    }

    /** SipHash-2-4 of three 64-bit words (24 bytes, each little-endian) in the caller's state {@code v}. */
    static long sipHash24(long[] v, long key0, long key1, long m0, long m1, long m2) {
        v[0] = 0x736f6d6570736575L ^ key0;
        v[1] = 0x646f72616e646f6dL ^ key1;
        v[2] = 0x6c7967656e657261L ^ key0;
        v[3] = 0x7465646279746573L ^ key1;
        compress(v, m0);
        compress(v, m1);
        compress(v, m2);
        compress(v, 24L << 56);
        v[2] ^= 0xff;
        for (int r = 0; r < 4; r++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
