package dev.vpnrouter.policy;

import dev.vpnrouter.config.ConfigLoader;
import dev.vpnrouter.config.ParseResult;
import dev.vpnrouter.config.model.AaaMethod;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.EspCipher;
import dev.vpnrouter.config.model.EspIntegrity;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;
import dev.vpnrouter.config.model.IpsecMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.vpnrouter.common.Ipv4.parse;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyCompilerTest {
    private static PolicyCompiler.Compiled compile(String... lines) {
        ParseResult r = ConfigLoader.load(String.join("\n", lines) + "\n");
        assertThat(r.errors()).isEmpty();
        return PolicyCompiler.compile(r);
    }

    private static RouterPolicy seed(String name) throws IOException {
        ParseResult r = ConfigLoader.load(Path.of("examples/seed", name));
        PolicyCompiler.Compiled c = PolicyCompiler.compile(r);
        assertThat(c.warnings()).isEmpty();
        return c.policy();
    }

    private static Subnet net(String address, int length) {
        return Subnet.of(parse(address), length);
    }

    @Test
    void hub() throws IOException {
        RouterPolicy p = seed("hub.cfg");
        assertThat(p.ikeProposals()).containsExactly(new IkeProposal(10, IkeEncryption.TRIPLE_DES, IkeHash.SHA,
                IkeAuthentication.PRE_SHARE, DhGroupId.GROUP2, 86400));
        // The wildcard keyring answers any spoke address, whatever DHCP gave it.
        PskMatch key = p.keys().byAddress(parse("198.51.100.77")).orElseThrow();
        assertThat(key.key()).isEqualTo("cisco123");
        assertThat(key.keyring()).contains("spokes");
        assertThat(key.prefix()).isEqualTo(Subnet.ANY);

        ProfilePolicy client = p.profiles().match(new PeerIdentity.KeyId("testgroup")).orElseThrow();
        assertThat(client.name()).isEqualTo("VPNclient");
        assertThat(client.xauth()).isTrue();
        assertThat(client.modeConfigRespond()).isTrue();
        assertThat(client.groups()).containsExactly("testgroup");
        ProfilePolicy spoke = p.profiles().match(new PeerIdentity.Address(parse("10.2.2.2"))).orElseThrow();
        assertThat(spoke.name()).isEqualTo("L2L");
        assertThat(spoke.xauth()).isFalse();
        assertThat(p.profiles().match(new PeerIdentity.KeyId("othergroup"))).isEmpty();

        ClientGroupPolicy g = p.clientGroup("testgroup").orElseThrow();
        assertThat(g.key()).contains("cisco321");
        assertThat(g.dns()).containsExactly(parse("1.1.1.1"), parse("2.2.2.2"));
        assertThat(g.domain()).contains("cisco.com");
        assertThat(g.pool().orElseThrow().size()).isEqualTo(254);

        assertThat(p.transformSet("myset").orElseThrow()).isEqualTo(new TransformProposal("myset",
                EspCipher.TRIPLE_DES, Optional.of(EspIntegrity.SHA_HMAC), IpsecMode.TUNNEL));

        CryptoMapPolicy map = p.cryptoMapOn("FastEthernet0/0").orElseThrow();
        MapEntryPolicy forClient = map.entries().getFirst();
        assertThat(forClient.profile().orElseThrow().name()).isEqualTo("VPNclient");
        assertThat(forClient.lifetimeSeconds()).isEqualTo(3600);
        assertThat(forClient.transforms()).extracting(TransformProposal::name).containsExactly("myset");
        assertThat(map.entries()).extracting(MapEntryPolicy::sequence, MapEntryPolicy::templateSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10, 5), org.assertj.core.groups.Tuple.tuple(10, 10));
        assertThat(p.aaa().loginMethods("clientauth")).contains(List.of(AaaMethod.of(AaaMethod.Kind.LOCAL)));
        assertThat(p.aaa().networkMethods("groupauthor")).isPresent();
        assertThat(p.users().authenticate("gfullage", "gfullage")).isTrue();
        assertThat(p.users().authenticate("gfullage", "wrong")).isFalse();
    }

    @Test
    void spoke() throws IOException {
        RouterPolicy p = seed("spoke.cfg");
        int hub = parse("10.48.67.181");
        assertThat(p.keys().byAddress(hub).orElseThrow().key()).isEqualTo("cisco123");
        assertThat(p.keys().byAddress(hub).orElseThrow().keyring()).isEmpty();
        assertThat(p.keys().byAddress(hub + 1)).isEmpty();

        CryptoMapPolicy map = p.cryptoMapOn("FastEthernet0/0").orElseThrow();
        MapEntryPolicy entry = map.entries().getFirst();
        assertThat(entry.acl().orElseThrow().rules()).extracting(CryptoAcl.Rule::proxyPair)
                .containsExactly(ProxyPair.of(net("10.2.0.0", 16), net("10.1.0.0", 16)));
        assertThat(p.iface("FastEthernet0/0").orElseThrow().address())
                .isEqualTo(dev.vpnrouter.config.model.InterfaceAddress.DHCP);
    }

    @Test
    void keyringsBeforeGlobalKeysLongestMaskFirst() {
        RouterPolicy p = compile(
                "crypto keyring wide",
                " pre-shared-key address 0.0.0.0 0.0.0.0 key wildcard",
                " pre-shared-key address 10.1.0.0 255.255.0.0 key ten-one",
                " pre-shared-key hostname spoke.example.com key byname",
                "crypto keyring narrow",
                " pre-shared-key address 10.1.2.0 255.255.255.0 key ten-one-two",
                " pre-shared-key address 10.1.0.0 255.255.0.0 key shadowed",
                "crypto isakmp key global address 10.9.9.9 no-xauth",
                "crypto isakmp key globalname hostname Other.Example.com").policy();
        assertThat(p.keys().byAddress(parse("10.1.2.3")).orElseThrow().key()).isEqualTo("ten-one-two");
        assertThat(p.keys().byAddress(parse("10.1.3.3")).orElseThrow().key()).isEqualTo("ten-one");
        assertThat(p.keys().byAddress(parse("192.0.2.1")).orElseThrow().key()).isEqualTo("wildcard");
        // The wildcard keyring entry covers 10.9.9.9: the global key is never reached (ConfigChecker warns).
        assertThat(p.keys().byAddress(parse("10.9.9.9")).orElseThrow().key()).isEqualTo("wildcard");
        assertThat(p.keys().byAddress("narrow", parse("10.1.3.3")).orElseThrow().key()).isEqualTo("shadowed");
        assertThat(p.keys().byAddress("narrow", parse("192.0.2.1"))).isEmpty();
        assertThat(p.keys().byHostname("SPOKE.example.com").orElseThrow().key()).isEqualTo("byname");
        assertThat(p.keys().byHostname("other.example.com").orElseThrow().key()).isEqualTo("globalname");
        assertThat(p.keys().byHostname("wide", "other.example.com")).isEmpty();
    }

    @Test
    void globalKeysWhenNoKeyringMatches() {
        RouterPolicy p = compile(
                "crypto isakmp key k1 address 10.0.0.0 255.0.0.0",
                "crypto isakmp key k2 address 10.1.1.1 no-xauth").policy();
        PskMatch m = p.keys().byAddress(parse("10.1.1.1")).orElseThrow();
        assertThat(m.key()).isEqualTo("k2");
        assertThat(m.noXauth()).isTrue();
        assertThat(p.keys().byAddress(parse("10.200.0.1")).orElseThrow().key()).isEqualTo("k1");
    }

    @Test
    void profilesByIdentity() {
        RouterPolicy p = compile(
                "crypto isakmp profile wild",
                " match identity address 0.0.0.0",
                "crypto isakmp profile branch",
                " match identity address 10.1.0.0 255.255.0.0",
                " match identity host domain example.com",
                "crypto isakmp profile hq",
                " match identity host hq.example.com",
                " match identity user domain corp.example",
                "crypto isakmp profile alice",
                " match identity user alice@corp.example").policy();
        ProfileTable t = p.profiles();
        assertThat(t.match(new PeerIdentity.Address(parse("10.1.4.4"))).orElseThrow().name()).isEqualTo("branch");
        assertThat(t.match(new PeerIdentity.Address(parse("172.16.0.1"))).orElseThrow().name()).isEqualTo("wild");
        assertThat(t.match(new PeerIdentity.Fqdn("HQ.example.com")).orElseThrow().name()).isEqualTo("hq");
        assertThat(t.match(new PeerIdentity.Fqdn("r7.lab.example.com")).orElseThrow().name()).isEqualTo("branch");
        assertThat(t.match(new PeerIdentity.Fqdn("example.org"))).isEmpty();
        assertThat(t.match(new PeerIdentity.UserFqdn("alice@corp.example")).orElseThrow().name()).isEqualTo("alice");
        assertThat(t.match(new PeerIdentity.UserFqdn("bob@corp.example")).orElseThrow().name()).isEqualTo("hq");
    }

    @Test
    void aclLinesThatCannotBeSelectorsAreWarned() {
        PolicyCompiler.Compiled c = compile(
                "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
                "access-list 101 permit ip 10.0.0.0 0.255.0.255 any",
                "access-list 101 permit tcp 10.1.0.0 0.0.255.255 any range 1000 2000",
                "access-list 101 deny ip any any",
                "crypto map m 10 ipsec-isakmp",
                " set peer 192.0.2.1",
                " set transform-set ts",
                " match address 101");
        assertThat(c.warnings()).extracting(d -> d.line() + ": " + d.message()).containsExactly(
                "2: access list 101 'permit ip 10.0.0.0 0.255.0.255 any': wildcard 0.255.0.255 is not a network; "
                        + "the line cannot be an IPsec traffic selector and is ignored",
                "3: access list 101 'permit tcp 10.1.0.0 0.0.255.255 any range 1000 2000': a Quick Mode ID carries "
                        + "one port or any; this line is proposed for all ports");
        CryptoMapPolicy map = c.policy().cryptoMap("m").orElseThrow();
        assertThat(map.entries().getFirst().acl().orElseThrow().rules()).extracting(CryptoAcl.Rule::proxyPair)
                .containsExactly(new ProxyPair(Subnet.of(parse("10.1.0.0"), 16), Subnet.ANY, 6, 0, 0),
                        new ProxyPair(Subnet.ANY, Subnet.ANY, 0, 0, 0));
    }

    /**
     * A deny line with a port range cannot be kept exactly: widened to all ports it would exempt traffic the
     * configuration protects, so it exempts nothing and says so.
     */
    @Test
    void aDenyLineWithAPortRangeExemptsNothingRatherThanEveryPort() {
        PolicyCompiler.Compiled c = compile(
                "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
                "access-list 101 deny tcp 10.1.0.0 0.0.255.255 any gt 1023",
                "access-list 101 deny udp 10.1.0.0 0.0.255.255 any eq 53",
                "access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255",
                "crypto map m 10 ipsec-isakmp",
                " set peer 192.0.2.1",
                " set transform-set ts",
                " match address 101");
        assertThat(c.warnings()).extracting(d -> d.line() + ": " + d.message()).containsExactly(
                "2: access list 101 'deny tcp 10.1.0.0 0.0.255.255 any gt 1023': a crypto access list keeps one "
                        + "port or any; this deny line exempts nothing, and the traffic it names stays protected "
                        + "by the lines after it");
        assertThat(c.policy().cryptoMap("m").orElseThrow().entries().getFirst().acl().orElseThrow().rules())
                .extracting(CryptoAcl.Rule::permit, CryptoAcl.Rule::proxyPair).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(false, new ProxyPair(Subnet.of(parse("10.1.0.0"), 16),
                                Subnet.ANY, 17, 0, 53)),
                        org.assertj.core.groups.Tuple.tuple(true, new ProxyPair(Subnet.of(parse("10.1.0.0"), 16),
                                Subnet.of(parse("10.2.0.0"), 16), 0, 0, 0)));
    }

    @Test
    void incompleteOrUndefinedReferencesDisableEntries() {
        RouterPolicy p = PolicyCompiler.compile(ConfigLoader.load(String.join("\n",
                "crypto ipsec transform-set ts esp-aes esp-sha-hmac",
                "crypto map m 10 ipsec-isakmp",
                " set peer 192.0.2.1",
                " set transform-set ts",
                " match address 199",
                "crypto map m 20 ipsec-isakmp",
                " set peer 192.0.2.2",
                " set transform-set ts")).config()).policy();
        assertThat(p.cryptoMap("m").orElseThrow().entries()).isEmpty();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
