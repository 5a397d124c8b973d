package dev.vpnrouter.ike;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.IkeEffect.DebugCategory;

import java.util.HashSet;
import java.util.Set;

/**
 * What a lifetime the peer names (in its proposal, its answer or a RESPONDER-LIFETIME notify) becomes. The shorter
 * of the peer's and ours wins, as on IOS. A value below the least IOS lets anyone configure, 0 included, is not
 * "expire now" (strongSwan's load tester with {@code ike_rekey=0} proposes Life-Duration 0): we keep our own
 * policy's lifetime, as a peer that names none gets, and say so once per peer and kind, even without debug.
 */
final class PeerLifetimes {
    /** A lifetime the peer did not name. */
    static final long NOT_OFFERED = -1;
    /** Peers already told, at most this many; past it the set starts over (a flood of sources cannot grow it). */
    private static final int MAX_TOLD = 4096;

    /** Each kind with the least value IOS accepts in its configuration command. */
    enum Kind {
        /** {@code crypto isakmp policy} / {@code lifetime 60-86400}. */
        PHASE1_SECONDS("phase 1 lifetime", 60, "seconds"),
        /** {@code crypto ipsec security-association lifetime seconds 120-86400}. */
        IPSEC_SECONDS("IPsec lifetime", 120, "seconds"),
        /** {@code crypto ipsec security-association lifetime kilobytes 2560-4294967295}. */
        IPSEC_KILOBYTES("IPsec volume lifetime", 2560, "kilobytes");

        final String what;
        final long least;
        final String unit;

        Kind(String what, long least, String unit) {
            this.what = what;
            this.least = least;
            this.unit = unit;
        }
    }

    private final IkeEngine engine;
    private final Set<Long> told = new HashSet<>();

    PeerLifetimes(IkeEngine engine) {
        this.engine = engine;
    }

    /**
     * The lifetime to use when the peer of {@code sa} names {@code offered} ({@link #NOT_OFFERED} if it named none)
     * and ours is {@code ours} (for kilobytes, 0 is no volume limit: then a sane offer of the peer's applies).
     */
    long agree(IkeSa sa, Kind kind, long offered, long ours) {
        if (offered == NOT_OFFERED) {
            return ours;
        }
        if (offered < kind.least) {
            ignored(sa, kind, offered, ours);
            return ours;
        }
        return ours <= 0 ? offered : Math.min(offered, ours);
    }

    private void ignored(IkeSa sa, Kind kind, long offered, long ours) {
        String using = ours <= 0 ? "none of our own" : "ours, " + ours + " " + kind.unit;
        if (told.size() >= MAX_TOLD) {
            told.clear();
        }
        if (told.add(((long) kind.ordinal() << 32) | Integer.toUnsignedLong(sa.peerAddress))) {
            engine.log(dev.vpnrouter.syslog.IosMessages.lifetimeIgnored("peer " + Ipv4.format(sa.peerAddress)
                    + ": its " + kind.what + " of " + offered + " " + kind.unit + " is below the least IOS accepts ("
                    + kind.least + "), using " + using + " (said once per peer)"));
        } else {
            engine.debug(DebugCategory.ISAKMP, "ISAKMP " + sa.tag() + ": peer's " + kind.what + " of " + offered
                    + " " + kind.unit + " ignored, using " + using);
        }
    }
}
