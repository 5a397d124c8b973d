package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ChildPolicy;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.ike.cfg.EspProposal;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.PeerProfile;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IdType;
import dev.vpnrouter.ike.wire.IpsecAttribute;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.TransformId;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Engine policies equivalent to examples/seed/hub.cfg and spoke.cfg, built by hand with the topology's addresses
 * (the seed's 10.48.67.181 hub becomes {@link Topology#HUB_OUTSIDE}).
 *
 * <p><b>Stand-in:</b> this is the one place the interop tests get their policy from. When the config-to-policy
 * adapter ({@code ConfigPolicy}) is merged, {@link #hub()} and {@link #spoke(int)} become "parse hub.cfg / spoke.cfg
 * (with the hub address substituted) and compile", and nothing else in the tests changes.
 */
public final class SeedEnginePolicy implements EnginePolicy {
    /** {@code crypto isakmp policy 10}: encr 3des, authentication pre-share, group 2 (hash sha, 86400 s default). */
    public static final IkeProposal POLICY_10 = new IkeProposal(10, Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0,
            HashAlgorithm.SHA1, Phase1Attribute.AuthMethod.PRE_SHARED_KEY, 2, 86_400);
    /** {@code crypto ipsec transform-set myset esp-3des esp-sha-hmac} (tunnel mode). */
    public static final EspProposal MYSET = new EspProposal("myset", TransformId.Esp.ESP_3DES, 0,
            IpsecAttribute.AuthAlgorithm.HMAC_SHA, true);
    public static final String L2L_KEY = "cisco123";

    /** A pre-shared key for peers inside {@code address/mask}. */
    private record Key(int address, int mask, String key, String keyring) {
    }

    /** {@code match identity group NAME} (group != null) or {@code match identity address A M}. */
    private record ProfileRule(PeerProfile profile, String group, int address, int mask) {
    }

    private final String hostname;
    private final List<Key> keys;
    private final List<ProfileRule> profiles;
    private final List<ChildPolicy> cryptoMap;
    private final String groupName;
    private final String groupKey;

    private SeedEnginePolicy(String hostname, List<Key> keys, List<ProfileRule> profiles, List<ChildPolicy> cryptoMap,
            String groupName, String groupKey) {
        this.hostname = hostname;
        this.keys = keys;
        this.profiles = profiles;
        this.cryptoMap = cryptoMap;
        this.groupName = groupName;
        this.groupKey = groupKey;
    }

    /** hub.cfg: keyring spokes with the wildcard key, profiles VPNclient and L2L, dynamic map dynmap 5 and 10. */
    public static SeedEnginePolicy hub() {
        return hubWithKey(L2L_KEY);
    }

    /** hub.cfg with another wildcard key (to test a PSK mismatch). */
    public static SeedEnginePolicy hubWithKey(String wildcardKey) {
        PeerProfile vpnClient = new PeerProfile("VPNclient", null, true, "testgroup", false, 0, 0);
        PeerProfile l2l = new PeerProfile("L2L", "spokes", false, null, false, 0, 0);
        return new SeedEnginePolicy("Hub",
                List.of(new Key(0, 0, wildcardKey, "spokes")),
                List.of(new ProfileRule(vpnClient, "testgroup", 0, 0), new ProfileRule(l2l, null, 0, 0)),
                List.of(new ChildPolicy("mymap", 10, true, "dynmap", 5, List.of(), List.of(), null, List.of(MYSET),
                                0, 0, 0, "VPNclient", false),
                        new ChildPolicy("mymap", 10, true, "dynmap", 10, List.of(), List.of(), null, List.of(MYSET),
                                0, 0, 0, "L2L", false)),
                "testgroup", "cisco321");
    }

    /**
     * spoke.cfg: {@code crypto isakmp key cisco123 address HUB}, {@code crypto map mymap 10} to the hub with ACL
     * 100 (10.2.0.0/16 to 10.1.0.0/16).
     */
    public static SeedEnginePolicy spoke(int hub) {
        return spokeWithKey(hub, L2L_KEY);
    }

    public static SeedEnginePolicy spokeWithKey(int hub, String key) {
        TrafficSelector local = TrafficSelector.subnet(Ipv4.parse("10.2.0.0"), Ipv4.parse("255.255.0.0"));
        TrafficSelector remote = TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"));
        return new SeedEnginePolicy("Spoke",
                List.of(new Key(hub, -1, key, "default")),
                List.of(),
                List.of(new ChildPolicy("mymap", 10, false, null, 0, List.of(hub),
                        List.of(new ChildPolicy.SelectorPair(local, remote)), "100", List.of(MYSET), 0, 0, 0, null,
                        false)),
                null, null);
    }

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public List<IkeProposal> ikeProposals() {
        return List.of(POLICY_10);
    }

    @Override
    public PresharedKey presharedKeyFor(int peerAddress) {
        Key best = null;
        for (Key k : keys) {
            if ((peerAddress & k.mask()) == (k.address() & k.mask())
                    && (best == null || Integer.bitCount(k.mask()) > Integer.bitCount(best.mask()))) {
                best = k;
            }
        }
        return best == null ? null
                : new PresharedKey(best.key().getBytes(StandardCharsets.UTF_8), best.keyring(), false);
    }

    @Override
    public byte[] groupKey(String group) {
        return group.equals(groupName) ? groupKey.getBytes(StandardCharsets.UTF_8) : null;
    }

    @Override
    public boolean profilesConfigured() {
        return !profiles.isEmpty();
    }

    @Override
    public PeerProfile profileFor(IdPayload identity, int peerAddress) {
        for (ProfileRule rule : profiles) {
            if (rule.group() != null) {
                if (identity.idType() == IdType.KEY_ID && identity.text().equals(rule.group())) {
                    return rule.profile();
                }
            } else if (identity.idType() == IdType.IPV4_ADDR
                    && (identity.ipv4Address() & rule.mask()) == (rule.address() & rule.mask())) {
                return rule.profile();
            }
        }
        return null;
    }

    @Override
    public List<ChildPolicy> cryptoMap() {
        return cryptoMap;
    }
}
