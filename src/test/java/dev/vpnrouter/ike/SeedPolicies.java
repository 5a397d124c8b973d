package dev.vpnrouter.ike;

import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EnginePolicy;

/**
 * Public doors to {@link TestPolicy} (package-private) for tests in other packages (the data plane lab tests):
 * the seed's hub and spoke, optionally with the spoke's crypto map lifetimes changed.
 */
public final class SeedPolicies {
    private SeedPolicies() {
    }

    /** {@link TestPolicy#seedHub()}: wildcard key, profiles L2L and VPNclient, dynamic map entries 5 and 10. */
    public static EnginePolicy hub() {
        return TestPolicy.seedHub();
    }

    /** {@link TestPolicy#seedSpoke}: static map entry to {@code hub} with ACL "local mask remote mask". */
    public static EnginePolicy spoke(int hub, String acl) {
        return TestPolicy.seedSpoke(hub, acl);
    }

    /** A seed spoke whose crypto map entry sets {@code security-association lifetime seconds/kilobytes}. */
    public static EnginePolicy spoke(int hub, String acl, long lifetimeSeconds, long lifetimeKilobytes) {
        TestPolicy p = TestPolicy.seedSpoke(hub, acl);
        ChildPolicy e = p.map.getFirst();
        p.map.set(0, new ChildPolicy(e.mapName(), e.sequence(), e.dynamic(), e.dynamicMapName(), e.dynamicSequence(),
                e.peers(), e.acl(), e.aclName(), e.proposals(), e.pfsGroup(), lifetimeSeconds, lifetimeKilobytes,
                e.profile(), e.reverseRoute()));
        return p;
    }
}
