package dev.vpnrouter.policy;

import java.util.BitSet;
import java.util.OptionalInt;

/**
 * Hands out the addresses of one {@link IpPool}, each at most once until released. Next-fit from a cursor, so a
 * released address is not reused at once. Not thread-safe: the engine that owns it is single-threaded.
 */
public final class PoolAllocator {
    private final IpPool pool;
    private final BitSet used;
    private long cursor;
    private long inUse;

    PoolAllocator(IpPool pool) {
        if (pool.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pool " + pool.name() + " is too large: " + pool.size());
        }
        this.pool = pool;
        this.used = new BitSet((int) pool.size());
    }

    public IpPool pool() {
        return pool;
    }

    /** A free address, now taken; empty when the pool is exhausted. */
    public OptionalInt allocate() {
        if (inUse == pool.size()) {
            return OptionalInt.empty();
        }
        int size = (int) pool.size();
        int i = used.nextClearBit((int) cursor);
        if (i >= size) {
            i = used.nextClearBit(0);
        }
        used.set(i);
        inUse++;
        cursor = (i + 1L) % size;
        return OptionalInt.of(pool.addressAt(i));
    }

    /** Takes {@code address} if it is in the pool and free (a client asking for its previous address). */
    public boolean allocate(int address) {
        long i = pool.indexOf(address);
        if (i < 0 || used.get((int) i)) {
            return false;
        }
        used.set((int) i);
        inUse++;
        return true;
    }

    /** Gives {@code address} back; false when it was not allocated from this pool. */
    public boolean release(int address) {
        long i = pool.indexOf(address);
        if (i < 0 || !used.get((int) i)) {
            return false;
        }
        used.clear((int) i);
        inUse--;
        return true;
    }

    public boolean isAllocated(int address) {
        long i = pool.indexOf(address);
        return i >= 0 && used.get((int) i);
    }

    public long inUse() {
        return inUse;
    }

    public long free() {
        return pool.size() - inUse;
    }
}
