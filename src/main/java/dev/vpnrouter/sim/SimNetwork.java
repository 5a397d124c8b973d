package dev.vpnrouter.sim;

import dev.vpnrouter.common.Ipv4;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated internet: delivers {@link SimPacket}s between attached nodes after a latency, with seeded loss,
 * duplication and reordering. Addresses behind a {@link SimNat} are reached only through it.
 */
public final class SimNetwork {
    private final SimScheduler scheduler;
    private final SplittableRandom random;
    private FaultModel faults;
    private final Map<Integer, SimNode> nodes = new HashMap<>();
    private final Map<Integer, SimNat> natByInsideAddress = new HashMap<>();

    private long sent;
    private long delivered;
    private long lost;
    private long duplicated;
    private long reordered;
    private long unroutable;

    public SimNetwork(SimScheduler scheduler, long seed, FaultModel faults) {
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
        this.faults = faults;
    }

    public SimScheduler scheduler() {
        return scheduler;
    }

    public void setFaults(FaultModel faults) {
        this.faults = faults;
    }

    public void attach(int address, SimNode node) {
        SimNode previous = nodes.putIfAbsent(address, node);
        if (previous != null && previous != node) {
            throw new IllegalStateException("address " + Ipv4.format(address) + " is already attached");
        }
    }

    public void detach(int address) {
        nodes.remove(address);
        natByInsideAddress.remove(address);
    }

    /**
     * A host that stops dead (killed, its cable pulled): nothing reaches it and nothing it sends leaves, until
     * {@link #revive}. Its node stays attached, its timers and state as they were.
     */
    public void cutOff(int address) {
        cutOff.add(address);
    }

    public void revive(int address) {
        cutOff.remove(address);
    }

    private final java.util.Set<Integer> cutOff = new java.util.HashSet<>();

    /** Puts {@code insideAddress} behind {@code nat}: its packets leave with the NAT's address and a mapped port. */
    void attachBehindNat(int insideAddress, SimNat nat) {
        natByInsideAddress.put(insideAddress, nat);
    }

    /** Sends a packet from the node at {@code packet.src()}; it arrives after the latency unless the faults say not. */
    public void send(SimPacket packet) {
        sent++;
        if (cutOff.contains(packet.src())) {
            lost++;
            return;
        }
        SimNat nat = natByInsideAddress.get(packet.src());
        if (nat != null) {
            packet = nat.outbound(packet);
        }
        if (faults.loss() > 0 && random.nextDouble() < faults.loss()) {
            lost++;
            return;
        }
        schedule(packet);
        if (faults.duplicate() > 0 && random.nextDouble() < faults.duplicate()) {
            duplicated++;
            schedule(packet);
        }
    }

    private void schedule(SimPacket packet) {
        long delay = faults.latencyMillis();
        if (faults.reorder() > 0 && random.nextDouble() < faults.reorder()) {
            reordered++;
            delay += 1 + random.nextLong(3 * faults.latencyMillis() + 5);
        }
        scheduler.after(delay, () -> deliver(packet));
    }

    private void deliver(SimPacket packet) {
        SimNode node = nodes.get(packet.dst());
        if (node == null || cutOff.contains(packet.dst())) {
            unroutable++;
            return;
        }
        delivered++;
        node.receive(packet);
    }

    public long sent() {
        return sent;
    }

    public long delivered() {
        return delivered;
    }

    public long lost() {
        return lost;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    public long unroutable() {
        return unroutable;
    }
}
