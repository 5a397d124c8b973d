package dev.vpnrouter.ike.crypto;

import java.math.BigInteger;

/**
 * Affine point arithmetic on y^2 = x^3 + ax + b over GF(p), just enough to compute d*G for
 * {@link EcpGroup#keyPairFromPrivate}. Not constant time and not fast: key agreement itself goes through JCE.
 */
final class EcMath {
    /** A point; {@code null} stands for the point at infinity. */
    record Point(BigInteger x, BigInteger y) {
    }

    private static final BigInteger THREE = BigInteger.valueOf(3);

    private final BigInteger p;
    private final BigInteger a;

    EcMath(BigInteger p, BigInteger a) {
        this.p = p;
        this.a = a;
    }

    Point multiply(Point point, BigInteger k) {
        Point result = null;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = twice(result);
            if (k.testBit(i)) {
                result = add(result, point);
            }
        }
        return result;
    }

    Point add(Point s, Point t) {
        if (s == null) {
            return t;
        }
        if (t == null) {
            return s;
        }
        if (s.x().equals(t.x())) {
            return s.y().add(t.y()).mod(p).signum() == 0 ? null : twice(s);
        }
        BigInteger slope = t.y().subtract(s.y()).multiply(t.x().subtract(s.x()).modInverse(p)).mod(p);
        BigInteger x = slope.multiply(slope).subtract(s.x()).subtract(t.x()).mod(p);
        BigInteger y = slope.multiply(s.x().subtract(x)).subtract(s.y()).mod(p);
        return new Point(x, y);
    }

    Point twice(Point s) {
        if (s == null || s.y().signum() == 0) {
            return null;
        }
        BigInteger slope = THREE.multiply(s.x()).multiply(s.x()).add(a)
                .multiply(s.y().shiftLeft(1).modInverse(p)).mod(p);
        BigInteger x = slope.multiply(slope).subtract(s.x().shiftLeft(1)).mod(p);
        BigInteger y = slope.multiply(s.x().subtract(x)).subtract(s.y()).mod(p);
        return new Point(x, y);
    }
}
