package dev.vpnrouter.ike.cfg;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.ike.cfg.CryptoMapDecision.Cause;
import dev.vpnrouter.ike.cfg.CryptoMapDecision.Claim;
import dev.vpnrouter.ike.cfg.CryptoMapDecision.ClientState;
import dev.vpnrouter.ike.cfg.CryptoMapDecision.LivePeers;
import dev.vpnrouter.ike.cfg.CryptoMapDecision.Verdict;
import dev.vpnrouter.ike.wire.NotifyType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one decision of which crypto map entry carries what, as a hostile peer meets it: the seed hub's claims
 * rules for a dynamic entry without {@code match address}, VPN clients held to their pool address, deny lines,
 * empty ACLs, profile-bound static entries and sequence order.
 */
class CryptoMapDecisionTest {
    private static final int HUB = Ipv4.parse("10.48.67.181");
    private static final int SPOKE = Ipv4.parse("198.51.100.7");
    private static final TrafficSelector ANY = TrafficSelector.ANY;

    private static TrafficSelector net(String cidr) {
        String[] p = cidr.split("/");
        int len = Integer.parseInt(p[1]);
        return TrafficSelector.subnet(Ipv4.parse(p[0]), len == 0 ? 0 : -1 << (32 - len));
    }

    private static ConfigPolicy seedHub() throws IOException {
        return new ConfigPolicy(ConfigLoader.load(ConfigPolicyTest.seed("hub.cfg")).config());
    }

    private static CryptoMapDecision decision(ConfigPolicy p) {
        return new CryptoMapDecision(p.cryptoMap(), p.protectedNetworks());
    }

    /** A spoke (profile L2L) claiming {@code remote} for itself, our side 10.1.0.0/16. */
    private static Verdict spokeClaims(CryptoMapDecision d, TrafficSelector remote, LivePeers live) {
        return d.quickMode(new Claim(SPOKE, HUB, "L2L", null, net("10.1.0.0/16"), remote), live);
    }

    @Test
    void aSpokeMayClaimItsOwnLanUnderTheSeedsDynamicEntry() throws IOException {
        Verdict v = spokeClaims(decision(seedHub()), net("10.2.0.0/16"), LivePeers.NONE);
        assertThat(v.accepted()).isTrue();
        assertThat(v.candidates()).extracting(c -> c.entry().describe()).containsExactly("mymap 10 (dynmap 10)");
    }

    @Test
    void aSpokeCannotClaimWhatWouldBlackholeTheHubOrStealReturnTraffic() throws IOException {
        CryptoMapDecision d = decision(seedHub());
        record Case(String claim, Cause cause, String says) {
        }
        for (Case c : List.of(
                new Case("0.0.0.0/0", Cause.CLAIMS_DEFAULT_ROUTE, "is the default route"),
                new Case("10.1.0.0/16", Cause.CLAIMS_PROTECTED_NETWORK, "the connected network 10.1.0.0/23 of "
                        + "FastEthernet0/1"),
                new Case("10.1.1.128/25", Cause.CLAIMS_PROTECTED_NETWORK, "FastEthernet0/1"),
                new Case("10.0.0.0/12", Cause.CLAIMS_PROTECTED_NETWORK, "FastEthernet0/1"),
                new Case("10.0.0.0/8", Cause.CLAIMS_OUTSIDE_ADDRESS, "our outside address"),
                new Case("10.5.5.7/32", Cause.CLAIMS_PROTECTED_NETWORK, "the local pool ippool"),
                new Case("10.48.67.181/32", Cause.CLAIMS_OUTSIDE_ADDRESS, "our outside address"),
                new Case("198.51.100.0/24", Cause.CLAIMS_OUTSIDE_ADDRESS, "its own outside address"))) {
            Verdict v = spokeClaims(d, net(c.claim()), LivePeers.NONE);
            assertThat(v.accepted()).as(c.claim()).isFalse();
            assertThat(v.refusal().cause()).as(c.claim()).isEqualTo(c.cause());
            assertThat(v.refusal().notifyType()).isEqualTo(NotifyType.INVALID_ID_INFORMATION);
            assertThat(v.refusal().text()).as(c.claim()).contains(c.says()).contains("198.51.100.7");
        }
    }

    @Test
    void aSpokeCannotClaimAnotherLivePeersNetworkOrAddress() throws IOException {
        CryptoMapDecision d = decision(seedHub());
        int other = Ipv4.parse("203.0.113.9");
        LivePeers live = new LivePeers() {
            @Override
            public int otherPeerHolding(TrafficSelector n, int peer) {
                return peer != other && CryptoMapDecision.overlaps(n, net("10.3.0.0/16")) ? other : 0;
            }

            @Override
            public int otherPeerAddressIn(TrafficSelector n, int peer) {
                return peer != other && n.contains(other) ? other : 0;
            }
        };
        for (String claim : List.of("10.3.0.0/16", "10.3.7.0/24", "10.2.0.0/15")) {
            Verdict v = spokeClaims(d, net(claim), live);
            assertThat(v.accepted()).as(claim).isFalse();
            assertThat(v.refusal().cause()).isEqualTo(Cause.CLAIMS_OTHER_PEERS_NETWORK);
            assertThat(v.refusal().text()).contains("peer 203.0.113.9 has negotiated");
        }
        Verdict v = spokeClaims(d, net("203.0.113.0/24"), live);
        assertThat(v.refusal().cause()).isEqualTo(Cause.CLAIMS_OUTSIDE_ADDRESS);
        assertThat(spokeClaims(d, net("10.2.0.0/16"), live).accepted()).isTrue();
        // The holder itself renegotiates its own network.
        assertThat(d.quickMode(new Claim(other, HUB, "L2L", null, net("10.1.0.0/16"), net("10.3.0.0/16")), live)
                .accepted()).isTrue();
    }

    @Test
    void aVpnClientGetsOnlyItsPoolAddressAndOnlyAfterModeConfig() throws IOException {
        CryptoMapDecision d = decision(seedHub());
        int assigned = Ipv4.parse("10.5.5.1");
        ClientState none = new ClientState(0, "testgroup", List.of());
        Verdict early = d.quickMode(new Claim(SPOKE, HUB, "VPNclient", none, ANY,
                TrafficSelector.host(assigned)), LivePeers.NONE);
        assertThat(early.refusal().cause()).isEqualTo(Cause.CLIENT_WITHOUT_ADDRESS);
        assertThat(early.refusal().text()).contains("before Mode Config");

        ClientState configured = new ClientState(assigned, "testgroup", List.of(net("10.1.0.0/16")));
        Verdict other = d.quickMode(new Claim(SPOKE, HUB, "VPNclient", configured, ANY,
                TrafficSelector.host(assigned + 1)), LivePeers.NONE);
        assertThat(other.refusal().cause()).isEqualTo(Cause.CLIENT_NOT_ITS_ADDRESS);
        Verdict wide = d.quickMode(new Claim(SPOKE, HUB, "VPNclient", configured, ANY, ANY), LivePeers.NONE);
        assertThat(wide.refusal().cause()).isEqualTo(Cause.CLIENT_NOT_ITS_ADDRESS);

        Verdict ok = d.quickMode(new Claim(SPOKE, HUB, "VPNclient", configured, ANY,
                TrafficSelector.host(assigned)), LivePeers.NONE);
        assertThat(ok.candidates()).singleElement().satisfies(c -> {
            assertThat(c.entry().describe()).isEqualTo("mymap 10 (dynmap 5)");
            assertThat(c.local()).isEqualTo(net("10.1.0.0/16")); // narrowed to the split network
            assertThat(c.remote()).isEqualTo(TrafficSelector.host(assigned));
        });
        Verdict outside = d.quickMode(new Claim(SPOKE, HUB, "VPNclient", configured, net("10.9.0.0/16"),
                TrafficSelector.host(assigned)), LivePeers.NONE);
        assertThat(outside.refusal().cause()).isEqualTo(Cause.CLIENT_OUTSIDE_SPLIT);
    }

    @Test
    void aPeerWithNoProfileOrAnotherProfileFindsNoEntry() throws IOException {
        Verdict v = seedHubDecision().quickMode(new Claim(SPOKE, HUB, null, null, net("10.1.0.0/16"),
                net("10.2.0.0/16")), LivePeers.NONE);
        assertThat(v.refusal().cause()).isEqualTo(Cause.NO_ENTRY_FOR_PEER);
        assertThat(v.refusal().notifyType()).isEqualTo(NotifyType.NO_PROPOSAL_CHOSEN);
    }

    private static CryptoMapDecision seedHubDecision() throws IOException {
        return decision(seedHub());
    }

    private static final String SPOKE_WITH_DENY = """
            hostname Spoke
            crypto isakmp policy 10
             authentication pre-share
            crypto isakmp key cisco123 address 10.48.67.181
            crypto ipsec transform-set myset esp-3des esp-sha-hmac
            crypto map mymap 10 ipsec-isakmp
             set peer 10.48.67.181
             set transform-set myset
             match address 100
            crypto map mymap 20 ipsec-isakmp
             set peer 10.48.67.182
             set transform-set myset
             match address 120
            interface FastEthernet0/0
             ip address 198.51.100.7 255.255.255.0
             crypto map mymap
            access-list 100 deny ip 10.2.2.0 0.0.0.255 10.1.0.0 0.0.255.255
            access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255
            access-list 120 permit ip 10.2.2.0 0.0.0.255 10.1.7.0 0.0.0.255
            """;

    @Test
    void aDenyLineKeepsTrafficOutOfItsEntryOnBothSides() {
        ConfigPolicy p = new ConfigPolicy(ConfigLoader.load(SPOKE_WITH_DENY).config());
        CryptoMapDecision d = decision(p);
        int icmp = 1;
        // Data plane side: the deny exempts 10.2.2.0/24 from entry 10; entry 20 protects part of it; else clear.
        int permitted = d.protectingLine(Ipv4.parse("10.2.3.5"), Ipv4.parse("10.1.1.1"), icmp, 0, 0);
        assertThat(d.staticLines().get(permitted).entry().sequence()).isEqualTo(10);
        assertThat(d.protectingLine(Ipv4.parse("10.2.2.5"), Ipv4.parse("10.1.1.1"), icmp, 0, 0)).isEqualTo(-1);
        int byTwenty = d.protectingLine(Ipv4.parse("10.2.2.5"), Ipv4.parse("10.1.7.1"), icmp, 0, 0);
        assertThat(d.staticLines().get(byTwenty).entry().sequence()).isEqualTo(20);
        assertThat(d.protectingLine(Ipv4.parse("10.2.3.5"), Ipv4.parse("8.8.8.8"), icmp, 0, 0)).isEqualTo(-1);

        // Quick Mode side: a proposal inside the deny line is refused, the permit line's is taken.
        int hub = Ipv4.parse("10.48.67.181");
        Verdict denied = d.quickMode(new Claim(hub, 0, null, null, net("10.2.2.0/24"), net("10.1.0.0/16")),
                LivePeers.NONE);
        assertThat(denied.refusal().cause()).isEqualTo(Cause.DENIED_BY_ACL);
        assertThat(denied.refusal().text()).contains("denied by ACL 100");
        assertThat(d.quickMode(new Claim(hub, 0, null, null, net("10.2.0.0/16"), net("10.1.0.0/16")),
                LivePeers.NONE).accepted()).isTrue();
        Verdict wider = d.quickMode(new Claim(hub, 0, null, null, net("10.0.0.0/8"), net("10.1.0.0/16")),
                LivePeers.NONE);
        assertThat(wider.refusal().cause()).isEqualTo(Cause.PROXY_NOT_PERMITTED);
    }

    @Test
    void aCryptoAclWithoutAPermitLineIsALoadErrorAndProtectsNothing() {
        String text = SPOKE_WITH_DENY.replace("access-list 100 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255\n",
                "");
        ParseResult loaded = ConfigLoader.load(text);
        assertThat(loaded.diagnostics()).anySatisfy(diag -> assertThat(diag.message())
                .contains("access list \"100\" has no permit line").contains("never means any"));
        CryptoMapDecision d = decision(new ConfigPolicy(loaded.config()));
        assertThat(d.protectingLine(Ipv4.parse("10.2.3.5"), Ipv4.parse("10.1.1.1"), 1, 0, 0)).isEqualTo(-1);
        Verdict v = d.quickMode(new Claim(HUB, 0, null, null, net("10.2.0.0/16"), net("10.1.0.0/16")),
                LivePeers.NONE);
        assertThat(v.accepted()).isFalse();
        assertThat(v.refusal().cause()).isIn(Cause.EMPTY_ACL, Cause.DENIED_BY_ACL);

        // The same for a dynamic template: a deny-only ACL never turns into "anything the peer proposes".
        ConfigPolicy hub = new ConfigPolicy(ConfigLoader.load("""
                crypto ipsec transform-set ts esp-aes esp-sha-hmac
                access-list 150 deny ip any any
                crypto dynamic-map dyn 1
                 set transform-set ts
                 match address 150
                crypto map m 10 ipsec-isakmp dynamic dyn
                interface FastEthernet0/0
                 ip address 10.48.67.181 255.255.255.224
                 crypto map m
                """).config());
        Verdict dyn = decision(hub).quickMode(new Claim(SPOKE, HUB, null, null, net("10.1.0.0/16"),
                net("10.2.0.0/16")), LivePeers.NONE);
        assertThat(dyn.accepted()).isFalse();
    }

    @Test
    void setIsakmpProfileBindsStaticEntriesToo() {
        String text = SPOKE_WITH_DENY.replace(" set peer 10.48.67.181\n", " set peer 10.48.67.181\n set isakmp-profile P\n")
                + "crypto isakmp profile P\n match identity address 10.48.67.181 255.255.255.255\n";
        CryptoMapDecision d = decision(new ConfigPolicy(ConfigLoader.load(text).config()));
        int hub = Ipv4.parse("10.48.67.181");
        assertThat(d.quickMode(new Claim(hub, 0, "P", null, net("10.2.0.0/16"), net("10.1.0.0/16")),
                LivePeers.NONE).accepted()).isTrue();
        assertThat(d.quickMode(new Claim(hub, 0, "Q", null, net("10.2.0.0/16"), net("10.1.0.0/16")),
                LivePeers.NONE).refusal().cause()).isEqualTo(Cause.NO_ENTRY_FOR_PEER);
        assertThat(d.quickMode(new Claim(hub, 0, null, null, net("10.2.0.0/16"), net("10.1.0.0/16")),
                LivePeers.NONE).accepted()).isFalse();
    }

    @Test
    void entriesAreTriedInSequenceOrderStaticAndDynamicAlike() {
        String common = """
                crypto ipsec transform-set ts esp-aes esp-sha-hmac
                access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
                crypto dynamic-map dyn 1
                 set transform-set ts
                interface FastEthernet0/0
                 ip address 192.0.2.254 255.255.255.0
                 crypto map m
                """;
        String staticEntry = "crypto map m %d ipsec-isakmp\n set peer 192.0.2.1\n set transform-set ts\n"
                + " match address 101\n";
        int peer = Ipv4.parse("192.0.2.1");
        Claim claim = new Claim(peer, 0, null, null, net("10.1.1.0/24"), net("10.2.1.0/24"));
        CryptoMapDecision good = decision(new ConfigPolicy(ConfigLoader.load(common + staticEntry.formatted(10)
                + "crypto map m 65000 ipsec-isakmp dynamic dyn\n").config()));
        assertThat(good.quickMode(claim, LivePeers.NONE).candidates().getFirst().entry().dynamic()).isFalse();
        CryptoMapDecision misordered = decision(new ConfigPolicy(ConfigLoader.load(common
                + staticEntry.formatted(20) + "crypto map m 10 ipsec-isakmp dynamic dyn\n").config()));
        assertThat(misordered.quickMode(claim, LivePeers.NONE).candidates().getFirst().entry().dynamic()).isTrue();
    }

    /**
     * A static entry's peer and the networks its ACL sends there are that peer's by configuration: a spoke on the
     * dynamic entry claims neither (the peer itself may), and a remote of {@code any} gives nothing away.
     */
    @Test
    void aSpokeCannotClaimWhatAStaticEntryGivesItsPeer() {
        String hub = """
                crypto isakmp key k address 0.0.0.0 0.0.0.0
                crypto ipsec transform-set ts esp-aes esp-sha-hmac
                access-list 101 permit ip 10.1.0.0 0.0.255.255 10.9.0.0 0.0.255.255
                access-list 102 permit ip 10.1.0.0 0.0.255.255 any
                crypto dynamic-map dyn 1
                 set transform-set ts
                crypto map m 10 ipsec-isakmp
                 set peer 203.0.113.50
                 set transform-set ts
                 match address 101
                crypto map m 20 ipsec-isakmp
                 set peer 203.0.113.60
                 set transform-set ts
                 match address 102
                crypto map m 65000 ipsec-isakmp dynamic dyn
                interface FastEthernet0/0
                 ip address 192.0.2.254 255.255.255.0
                 crypto map m
                """;
        CryptoMapDecision d = decision(new ConfigPolicy(ConfigLoader.load(hub).config()));
        for (String claim : List.of("10.9.4.0/24", "10.8.0.0/15", "203.0.113.48/28")) {
            Verdict v = spokeClaims(d, net(claim), LivePeers.NONE);
            assertThat(v.accepted()).as(claim).isFalse();
            assertThat(v.refusal().cause()).as(claim).isEqualTo(Cause.CLAIMS_OTHER_PEERS_NETWORK);
            assertThat(v.refusal().text()).as(claim).contains("crypto map m ");
        }
        assertThat(spokeClaims(d, net("10.2.0.0/16"), LivePeers.NONE).accepted()).isTrue(); // any gives nothing
        int owner = Ipv4.parse("203.0.113.50");
        assertThat(d.quickMode(new Claim(owner, HUB, null, null, net("10.1.0.0/16"), net("10.9.0.0/16")),
                LivePeers.NONE).accepted()).isTrue();
    }

    @Test
    void aPoolRangeIsCoveredExactly() {
        assertThat(TrafficSelector.covering(Ipv4.parse("10.5.5.1"), Ipv4.parse("10.5.5.254")))
                .extracting(TrafficSelector::ios).containsExactly(
                        "10.5.5.1/255.255.255.255/0/0", "10.5.5.2/255.255.255.254/0/0", "10.5.5.4/255.255.255.252/0/0",
                        "10.5.5.8/255.255.255.248/0/0", "10.5.5.16/255.255.255.240/0/0",
                        "10.5.5.32/255.255.255.224/0/0", "10.5.5.64/255.255.255.192/0/0",
                        "10.5.5.128/255.255.255.192/0/0", "10.5.5.192/255.255.255.224/0/0",
                        "10.5.5.224/255.255.255.240/0/0", "10.5.5.240/255.255.255.248/0/0",
                        "10.5.5.248/255.255.255.252/0/0", "10.5.5.252/255.255.255.254/0/0",
                        "10.5.5.254/255.255.255.255/0/0");
        assertThat(TrafficSelector.covering(0, -1)).containsExactly(TrafficSelector.ANY);
    }
}
