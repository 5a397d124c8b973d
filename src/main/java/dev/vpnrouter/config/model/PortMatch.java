package dev.vpnrouter.config.model;

/** {@code eq|neq|lt|gt P} or {@code range P1 P2} on a TCP/UDP port. */
public record PortMatch(Op op, int low, int high) {
    public enum Op {
        EQ,
        NEQ,
        LT,
        GT,
        RANGE
    }

    public boolean matches(int port) {
        return switch (op) {
            case EQ -> port == low;
            case NEQ -> port != low;
            case LT -> port < low;
            case GT -> port > low;
            case RANGE -> port >= low && port <= high;
        };
    }
}
