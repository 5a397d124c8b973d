package dev.vpnrouter.dataplane;

import dev.vpnrouter.esp.ReplayWindow;

/**
 * Knobs of a data plane.
 *
 * @param mtu                 largest outer IPv4 packet on the outside (IP header + UDP if any + ESP)
 * @param insideAddress       the router's inside address: source of the ICMP errors it sends to inside hosts
 * @param acquireQueuePackets packets kept per crypto map entry (ACL line) while IKE brings its SA up
 * @param acquireQueueMillis  how long a queued packet may wait before it is dropped
 * @param acquireRetryMillis  a further packet re-issues ACQUIRE after this long without an SA
 * @param replayWindow        anti-replay window of inbound SAs (0 = off, up to 1024)
 */
public record DataPlaneConfig(int mtu, int insideAddress, int acquireQueuePackets, long acquireQueueMillis,
        long acquireRetryMillis, int replayWindow) {

    public static final int DEFAULT_MTU = 1500;

    public DataPlaneConfig {
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be 576..65535, was " + mtu);
        }
        if (acquireQueuePackets < 0 || acquireQueueMillis < 0 || acquireRetryMillis < 0) {
            throw new IllegalArgumentException("queue limits must not be negative");
        }
        if (replayWindow < 0 || replayWindow > ReplayWindow.MAX_SIZE) {
            throw new IllegalArgumentException("replay window must be 0.." + ReplayWindow.MAX_SIZE);
        }
    }

    /** MTU 1500, a queue of 16 packets for 10 s, re-acquire after 2 s, replay window 64. */
    public static DataPlaneConfig defaults(int insideAddress) {
        return new DataPlaneConfig(DEFAULT_MTU, insideAddress, 16, 10_000, 2_000, ReplayWindow.DEFAULT_SIZE);
    }

    public DataPlaneConfig withMtu(int newMtu) {
        return new DataPlaneConfig(newMtu, insideAddress, acquireQueuePackets, acquireQueueMillis,
                acquireRetryMillis, replayWindow);
    }

    public DataPlaneConfig withAcquireQueue(int packets, long millis) {
        return new DataPlaneConfig(mtu, insideAddress, packets, millis, acquireRetryMillis, replayWindow);
    }

    public DataPlaneConfig withReplayWindow(int packets) {
        return new DataPlaneConfig(mtu, insideAddress, acquireQueuePackets, acquireQueueMillis, acquireRetryMillis,
                packets);
    }
}
