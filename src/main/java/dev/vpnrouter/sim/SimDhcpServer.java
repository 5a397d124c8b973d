package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The ISP's DHCP server of the lab: hands out outside addresses from a range, with a lease time, the same address
 * to the same client while its lease lives. It models the outcome of DISCOVER/OFFER/REQUEST/ACK, not the wire.
 */
public final class SimDhcpServer {
    /** What the client learns: address, mask, default router and when the lease ends. */
    public record Lease(String clientId, int address, int mask, int router, long expiresAtMillis) {
        @Override
        public String toString() {
            return Ipv4.format(address) + "/" + Ipv4.prefixLength(mask) + " via " + Ipv4.format(router);
        }
    }

    private final int first;
    private final int size;
    private final int mask;
    private final int router;
    private final long leaseMillis;
    private final BitSet used = new BitSet();
    private final Map<String, Lease> byClient = new HashMap<>();

    public SimDhcpServer(int first, int last, int mask, int router, long leaseMillis) {
        if (Integer.compareUnsigned(last, first) < 0) {
            throw new IllegalArgumentException("empty range");
        }
        this.first = first;
        this.size = last - first + 1;
        this.mask = mask;
        this.router = router;
        this.leaseMillis = leaseMillis;
    }

    /** A DISCOVER+REQUEST: renews the client's live lease, else leases the lowest free address; null if none. */
    public Lease request(String clientId, long nowMillis) {
        expire(nowMillis);
        Lease current = byClient.get(clientId);
        int address;
        if (current != null) {
            address = current.address();
        } else {
            int index = used.nextClearBit(0);
            if (index >= size) {
                return null;
            }
            used.set(index);
            address = first + index;
        }
        Lease lease = new Lease(clientId, address, mask, router, nowMillis + leaseMillis);
        byClient.put(clientId, lease);
        return lease;
    }

    /** A RELEASE: the client gives its address back (the next request gets a different one if any is free). */
    public void release(String clientId) {
        Lease lease = byClient.remove(clientId);
        if (lease != null) {
            used.clear(lease.address() - first);
        }
    }

    /**
     * Moves a client to a new address, as an ISP does when it renumbers: the old lease ends and the next free
     * address after it is leased.
     */
    public Lease renumber(String clientId, long nowMillis) {
        Lease old = byClient.remove(clientId);
        Lease fresh = request(clientId, nowMillis);
        if (old != null) {
            used.clear(old.address() - first);
        }
        return fresh;
    }

    private void expire(long nowMillis) {
        byClient.values().removeIf(lease -> {
            if (lease.expiresAtMillis() <= nowMillis) {
                used.clear(lease.address() - first);
                return true;
            }
            return false;
        });
    }

    public int leased() {
        return byClient.size();
    }
}
