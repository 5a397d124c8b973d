package dev.vpnrouter.sim;

/**
 * Impairments of the simulated internet, each a probability in [0,1] per packet, plus a one-way latency.
 * Reordered packets are held back by up to {@code 3 * latency + 5} ms so later ones overtake them.
 */
public record FaultModel(double loss, double duplicate, double reorder, long latencyMillis) {
    public static final FaultModel PERFECT = new FaultModel(0, 0, 0, 1);

    public FaultModel {
        check("loss", loss);
        check("duplicate", duplicate);
        check("reorder", reorder);
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0,1], was " + p);
        }
    }
}
