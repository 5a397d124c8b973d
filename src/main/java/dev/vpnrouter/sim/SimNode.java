package dev.vpnrouter.sim;

/** Something attached to the simulated internet at one or more addresses. */
@FunctionalInterface
public interface SimNode {
    void receive(SimPacket packet);
}
