package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.AddressPoolConfig;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code ip local pool} at run time: which addresses are handed out, to whom. An owner (group and user) that
 * comes back gets the address it had last, when that one is still free, so a reconnecting client keeps its
 * address; otherwise the lowest free address goes, as IOS does. Plain state owned by the engine: no I/O, no
 * clock.
 */
public final class AddressPool {
    private final AddressPoolConfig config;
    private final long size;
    private final BitSet used = new BitSet();
    private final Map<Integer, String> ownerByAddress = new HashMap<>();
    /** Each owner's last address, kept after release so a reconnect finds it (bounded by the pool's size). */
    private final LinkedHashMap<String, Integer> lastByOwner = new LinkedHashMap<>(16, 0.75f, true);

    AddressPool(AddressPoolConfig config) {
        this.config = config;
        long n = 0;
        for (AddressPoolConfig.Range r : config.ranges()) {
            n += r.size();
        }
        this.size = Math.min(n, Integer.MAX_VALUE);
    }

    public String name() {
        return config.name();
    }

    /** A copy that no later allocation changes: what a {@code show} reads off the engine's thread. */
    public AddressPool copy() {
        AddressPool c = new AddressPool(config);
        c.used.or(used);
        c.ownerByAddress.putAll(ownerByAddress);
        c.lastByOwner.putAll(lastByOwner);
        return c;
    }

    AddressPoolConfig config() {
        return config;
    }

    /** Addresses in the pool. */
    public long size() {
        return size;
    }

    /** Addresses handed out now. */
    public int inUse() {
        return used.cardinality();
    }

    public long available() {
        return size - inUse();
    }

    public boolean isAllocated(int address) {
        int index = indexOf(address);
        return index >= 0 && used.get(index);
    }

    /** Who holds {@code address}, or null. */
    public String owner(int address) {
        return ownerByAddress.get(address);
    }

    /** An address for {@code owner}, or 0 when the pool is exhausted. */
    int allocate(String owner) {
        Integer previous = lastByOwner.get(owner);
        int index = previous == null ? -1 : indexOf(previous);
        if (index < 0 || used.get(index)) {
            index = used.nextClearBit(0);
            if (index >= size) {
                return 0;
            }
        }
        used.set(index);
        int address = addressAt(index);
        ownerByAddress.put(address, owner);
        lastByOwner.put(owner, address);
        while (lastByOwner.size() > size) {
            lastByOwner.remove(lastByOwner.keySet().iterator().next());
        }
        return address;
    }

    /**
     * {@code address} exactly for {@code owner} (an authentication server's Framed-IP-Address), or 0 when it lies
     * outside the pool or is held (by anyone: a second SA of the same user is another peer).
     */
    int claim(int address, String owner) {
        int index = indexOf(address);
        if (index < 0 || used.get(index)) {
            return 0;
        }
        used.set(index);
        ownerByAddress.put(address, owner);
        lastByOwner.put(owner, address);
        while (lastByOwner.size() > size) {
            lastByOwner.remove(lastByOwner.keySet().iterator().next());
        }
        return address;
    }

    /** Whether {@code address} lies inside this pool's ranges. */
    public boolean contains(int address) {
        return indexOf(address) >= 0;
    }

    /** Gives {@code address} back; unknown addresses are ignored (the pool may have been reconfigured). */
    void release(int address) {
        int index = indexOf(address);
        if (index >= 0) {
            used.clear(index);
        }
        ownerByAddress.remove(address);
    }

    /** Takes over what {@code old} handed out that is still inside this pool (after a reconfiguration). */
    void adopt(AddressPool old) {
        for (Map.Entry<Integer, String> e : old.ownerByAddress.entrySet()) {
            int index = indexOf(e.getKey());
            if (index >= 0) {
                used.set(index);
                ownerByAddress.put(e.getKey(), e.getValue());
            }
        }
        lastByOwner.putAll(old.lastByOwner);
    }

    private int indexOf(int address) {
        long base = 0;
        for (AddressPoolConfig.Range r : config.ranges()) {
            long offset = Integer.toUnsignedLong(address) - Integer.toUnsignedLong(r.first());
            if (offset >= 0 && offset < r.size()) {
                long index = base + offset;
                return index < size ? (int) index : -1;
            }
            base += r.size();
        }
        return -1;
    }

    private int addressAt(int index) {
        long remaining = index;
        for (AddressPoolConfig.Range r : config.ranges()) {
            if (remaining < r.size()) {
                return (int) (Integer.toUnsignedLong(r.first()) + remaining);
            }
            remaining -= r.size();
        }
        throw new IllegalStateException("index " + index + " outside pool " + name());
    }

    @Override
    public String toString() {
        return "AddressPool[" + name() + " " + inUse() + "/" + size + " in use, first "
                + Ipv4.format(config.ranges().getFirst().first()) + "]";
    }
}
