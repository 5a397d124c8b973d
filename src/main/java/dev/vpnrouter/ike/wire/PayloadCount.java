package dev.vpnrouter.ike.wire;

/** How many payloads of one type a message may carry: {@code min..max} ({@link #MANY} for no limit). */
public record PayloadCount(int type, int min, int max) {
    public static final int MANY = Integer.MAX_VALUE;

    public PayloadCount {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("count " + min + ".." + max);
        }
    }

    public static PayloadCount one(int type) {
        return new PayloadCount(type, 1, 1);
    }

    public static PayloadCount optional(int type) {
        return new PayloadCount(type, 0, 1);
    }

    public static PayloadCount any(int type) {
        return new PayloadCount(type, 0, MANY);
    }

    public static PayloadCount range(int type, int min, int max) {
        return new PayloadCount(type, min, max);
    }
}
