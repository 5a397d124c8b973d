package dev.vpnrouter.config;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.RouterConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParserBehaviourTest {
    private static ParseResult load(String... lines) {
        return ConfigLoader.load(String.join("\n", lines) + "\n");
    }

    /** {@code show running-config} of {@code c}, checked to load and write back the same. */
    private static String writtenBack(RouterConfig c) {
        String written = ConfigWriter.write(c);
        assertThat(ConfigWriter.write(ConfigLoader.load(written).config())).as("written back").isEqualTo(written);
        return written;
    }

    private static RouterConfig clean(String... lines) {
        ParseResult r = load(lines);
        assertThat(r.errors()).as("errors").isEmpty();
        return r.config();
    }

    @Test
    void iosAbbreviationsAreAcceptedWhereUnambiguous() {
        RouterConfig c = clean(
                "hostn R1",
                "crypto isa pol 10",
                " enc aes 256",
                " auth pre",
                " gr 14",
                "cry isa key s3cret add 192.0.2.1 255.255.255.255 no-x",
                "int fa0/0",
                " ip add 10.1.1.1 255.255.255.0",
                "int gi 1/0/1",
                " shut");
        assertThat(c.hostname()).contains("R1");
        assertThat(c.isakmpPolicies()).containsExactly(new IsakmpPolicy(10, IkeEncryption.AES_256, IkeHash.SHA,
                IkeAuthentication.PRE_SHARE, DhGroupId.GROUP14, 86400));
        assertThat(c.isakmpKeys()).singleElement().satisfies(k -> assertThat(k.noXauth()).isTrue());
        assertThat(c.iface("FastEthernet0/0")).isPresent();
        assertThat(c.iface("GigabitEthernet1/0/1").orElseThrow().shutdown()).isTrue();
    }

    @Test
    void isakmpPolicyDefaultsAreIosDefaults() {
        RouterConfig c = clean("crypto isakmp policy 20");
        assertThat(c.isakmpPolicies()).containsExactly(new IsakmpPolicy(20, IkeEncryption.DES, IkeHash.SHA,
                IkeAuthentication.RSA_SIG, DhGroupId.GROUP1, 86400));
        // "no hash" goes back to the default, from the same one place.
        c = clean("crypto isakmp policy 20", " hash md5", " lifetime 3600", " no hash", " no lifetime");
        assertThat(c.isakmpPolicies().getFirst()).isEqualTo(IsakmpPolicy.defaults(20));
    }

    @Test
    void indentationIsNotSignificantAndGlobalCommandsLeaveSubModes() {
        // The seed document's own example, flush left.
        RouterConfig c = clean(
                "crypto ipsec transform-set myset esp-3des esp-sha-hmac",
                "crypto dynamic-map dynmap 20",
                "set transform-set myset",
                "crypto map mymap 10 ipsec-isakmp",
                "match address 100",
                "set peer 172.16.77.10",
                "set transform-set myset",
                "crypto map mymap 60000 ipsec-isakmp dynamic dynmap",
                "access-list 100 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255");
        assertThat(c.cryptoMap("mymap").orElseThrow().entries()).hasSize(2);
        assertThat(c.cryptoMap("mymap").orElseThrow().entries().getFirst().peers()).hasSize(1);
        assertThat(c.dynamicMap("dynmap").orElseThrow().entries().getFirst().transformSets())
                .containsExactly("myset");
    }

    @Test
    void anErrorInASubModeKeepsTheModeAndLoadingContinues() {
        ParseResult r = load(
                "crypto isakmp profile p",
                " descriptoin typo",
                " keyring k",
                "crypto keyring k",
                " pre-shared-key address 10.0.0.0 255.0.0.0 key x",
                "hostname after-errors");
        assertThat(r.errors()).singleElement().satisfies(d -> assertThat(d.line()).isEqualTo(2));
        assertThat(r.config().isakmpProfile("p").orElseThrow().keyring()).contains("k");
        assertThat(r.config().hostname()).contains("after-errors");
    }

    @Test
    void exitCommentsAndEnd() {
        RouterConfig c = clean(
                "interface Loopback0",
                " ! a comment inside a block",
                " exit",
                "hostname R",
                "end",
                "this is not configuration");
        assertThat(c.hostname()).contains("R");
        assertThat(c.iface("Loopback0")).isPresent();
    }

    @Test
    void reenteringABlockContinuesIt() {
        RouterConfig c = clean(
                "interface FastEthernet0/0",
                " description outside",
                "hostname R",
                "interface fa0/0",
                " ip address dhcp");
        assertThat(c.interfaces()).singleElement().satisfies(i -> {
            assertThat(i.description()).contains("outside");
            assertThat(i.address()).isEqualTo(InterfaceAddress.DHCP);
        });
    }

    @Test
    void noForms() {
        RouterConfig c = clean(
                "service password-encryption",
                "no service password-encryption",
                "crypto isakmp policy 10",
                "crypto isakmp policy 20",
                "no crypto isakmp policy 10",
                "crypto isakmp keepalive 10",
                "no crypto isakmp keepalive",
                "interface Fa0/0",
                " ip address 10.0.0.1 255.0.0.0",
                " shutdown",
                " no shutdown",
                " no ip address",
                "crypto map m 10 ipsec-isakmp",
                " set peer 1.1.1.1",
                " set peer 2.2.2.2",
                " no set peer 1.1.1.1",
                " reverse-route",
                " no reverse-route");
        assertThat(c.passwordEncryption()).isFalse();
        assertThat(c.isakmpPolicies()).extracting(IsakmpPolicy::priority).containsExactly(20);
        assertThat(c.isakmp().keepalive()).isEmpty();
        assertThat(c.iface("FastEthernet0/0").orElseThrow()).satisfies(i -> {
            assertThat(i.shutdown()).isFalse();
            assertThat(i.address()).isEqualTo(InterfaceAddress.NONE);
        });
        assertThat(c.cryptoMap("m").orElseThrow().entries().getFirst()).satisfies(e -> {
            assertThat(e.peers()).hasSize(1);
            assertThat(e.reverseRoute()).isFalse();
        });
    }

    @Test
    void passwordEncryptionStoresClearPasswordsAsType7() {
        RouterConfig c = clean(
                "username alice password 0 wonderland",
                "service password-encryption",
                "line vty 0 4",
                " password cisco",
                " login local");
        Password p = c.user("alice").orElseThrow().password();
        assertThat(p).isInstanceOf(Password.Type7Encoded.class);
        assertThat(p.clearText()).contains("wonderland");
        assertThat(ConfigWriter.write(c)).contains("username alice password 7 ")
                .doesNotContain("wonderland").doesNotContain(" password cisco");
        LineBlock vty = c.lines().getFirst();
        assertThat(vty.password().flatMap(Password::clearText)).contains("cisco");
        assertThat(vty.login().orElseThrow().mode()).isEqualTo(LineBlock.Login.Mode.LOCAL);
    }

    @Test
    void clearSecretsAreHashedDeterministically() {
        RouterConfig a = clean("username bob secret s3cret", "enable secret 0 topsecret");
        RouterConfig b = clean("username bob secret s3cret", "enable secret 0 topsecret");
        assertThat(a).isEqualTo(b);
        assertThat(a.user("bob").orElseThrow().password().matches("s3cret")).isTrue();
        assertThat(a.user("bob").orElseThrow().password().matches("S3cret")).isFalse();
        assertThat(a.enableSecret().orElseThrow().matches("topsecret")).isTrue();
    }

    @Test
    void multiLineBannersAreKeptWhole() {
        RouterConfig c = clean(
                "banner motd ^C",
                "Authorized access only",
                "  hostname inside-a-banner",
                "^C",
                "crypto isakmp client configuration group g",
                " key k",
                " banner #Welcome",
                "to the VPN#",
                "hostname R");
        assertThat(c.passive()).containsExactly(new PassiveLine(
                "banner motd ^C\nAuthorized access only\n  hostname inside-a-banner\n^C", PassiveLine.Placement.TAIL));
        assertThat(c.clientGroup("g").orElseThrow().banner()).contains("Welcome\nto the VPN");
        assertThat(c.hostname()).contains("R");
        assertThat(clean(ConfigWriter.write(c))).isEqualTo(c);
    }

    @Test
    void namedAccessListsOrderBySequence() {
        RouterConfig c = clean(
                "ip access-list extended split",
                " 20 permit ip 10.2.0.0 0.0.255.255 any",
                " 10 permit ip 10.1.0.0 0.0.255.255 any",
                " permit tcp any host 10.9.9.9 eq www",
                " remark last",
                " deny udp any range 1000 2000 any eq isakmp log",
                " permit icmp any any echo-reply");
        assertThat(c.accessList("split").orElseThrow().entries()).hasSize(6).element(0)
                .satisfies(e -> assertThat(((AclEntry.Extended) e).source().address())
                        .isEqualTo(Ipv4.parse("10.1.0.0")));
        assertThat(clean(ConfigWriter.write(c))).isEqualTo(c);
    }

    @Test
    void crlfLineEndingsAndTabs() {
        RouterConfig c = clean("hostname R\r", "interface\tFa0/0\r", "\tdescription tabbed\r");
        assertThat(c.iface("FastEthernet0/0").orElseThrow().description()).contains("tabbed");
    }

    @Test
    void sourceMapPointsAtElements() {
        ParseResult r = load("hostname R", "crypto isakmp profile p", " keyring k");
        var profile = r.config().isakmpProfile("p").orElseThrow();
        assertThat(r.source().at(profile)).isEqualTo(new SourceMap.Where(2, 1));
        assertThat(r.source().at(profile, "keyring")).isEqualTo(new SourceMap.Where(3, 10));
    }

    @Test
    void featuresOutOfScopeLoadWithTheLinesUnderThemAndPrintBack() {
        ParseResult r = load(
                "hostname HQ",
                "ip dhcp pool DATA",
                " network 10.1.1.0 255.255.255.0",
                " default-router 10.1.1.1",
                "crypto pki certificate chain TP-self-signed-1",
                " certificate self-signed 01",
                "  3082022B 30820194",
                "  \tquit",
                "interface GigabitEthernet0/0",
                " ip address 198.51.100.1 255.255.255.0",
                " ip virtual-reassembly in",
                " ipv6 address 2001:db8::1/64",
                "router ospf 1",
                " network 10.1.1.0 0.0.0.255 area 0",
                "router bgp 65000",
                " address-family ipv4",
                "  neighbor 198.51.100.2 activate",
                " exit-address-family",
                "route-map NH permit 10",
                " set ip next-hop 198.51.100.254");
        assertThat(r.errors()).isEmpty();
        RouterConfig c = r.config();
        assertThat(c.passive()).contains(
                new PassiveLine("ip dhcp pool DATA", PassiveLine.Placement.HEAD,
                        java.util.List.of(" network 10.1.1.0 255.255.255.0", " default-router 10.1.1.1")),
                new PassiveLine("crypto pki certificate chain TP-self-signed-1", PassiveLine.Placement.HEAD,
                        java.util.List.of(" certificate self-signed 01", "  3082022B 30820194", "  \tquit")),
                new PassiveLine("router bgp 65000", PassiveLine.Placement.TAIL, java.util.List.of(
                        " address-family ipv4", "  neighbor 198.51.100.2 activate", " exit-address-family")));
        assertThat(c.iface("GigabitEthernet0/0").orElseThrow().passive()).extracting(PassiveLine::text)
                .containsExactly("ip virtual-reassembly in", "ipv6 address 2001:db8::1/64");
        // The interface after the DHCP pool is ours again: its address was read.
        assertThat(c.iface("GigabitEthernet0/0").orElseThrow().address())
                .isInstanceOf(InterfaceAddress.Static.class);
        String written = ConfigWriter.write(c);
        assertThat(written).contains("router ospf 1\n network 10.1.1.0 0.0.0.255 area 0\n");
        assertThat(clean(written)).isEqualTo(c);
        assertThat(ConfigChecker.check(c, r.source()).stream().map(Diagnostic::message))
                .contains("not acted on: router bgp 65000 (and the 3 lines under it)",
                        "not acted on: route-map NH permit 10 (and the line under it)");
    }

    @Test
    void aTypoAfterAnOutOfScopeBlockIsStillAnError() {
        ParseResult r = load(
                "router ospf 1",
                " network 10.1.1.0 0.0.0.255 area 0",
                "crypto isakmp frobnicate 7",
                "router ospf 2",
                // Unindented: read at global level, as IOS would fall back to it, and there it is no command.
                "network 10.2.2.0 0.0.0.255 area 0");
        assertThat(r.errors()).extracting(Diagnostic::line).containsExactly(3, 5);
        assertThat(r.config().passive()).extracting(PassiveLine::text).containsExactly("router ospf 1",
                "router ospf 2");
    }

    @Test
    void callAdmissionLimitIsReadAndPrinted() {
        RouterConfig c = clean("crypto call admission limit ike in-negotiation-sa 500");
        assertThat(c.isakmp().inNegotiationLimit()).hasValue(500);
        assertThat(ConfigWriter.write(c)).contains("crypto call admission limit ike in-negotiation-sa 500\n");
        assertThat(load("crypto call admission limit ike in-negotiation-sa 9").errors()).hasSize(1);
        assertThat(clean("crypto call admission limit ike in-negotiation-sa 500",
                "no crypto call admission limit ike in-negotiation-sa").isakmp().inNegotiationLimit()).isEmpty();
    }

    /** Whole configurations as real routers carry them (QoS, OSPF, BGP, PKI, DHCP, IPv6...) load without errors. */
    @Test
    void realRouterConfigurationsLoadWithoutErrors() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(
                "src/test/resources/dev/vpnrouter/config/IosConfigFuzzTestInputs/load");
        java.util.List<java.nio.file.Path> real;
        try (var files = java.nio.file.Files.list(dir)) {
            real = files.filter(f -> f.getFileName().toString().startsWith("real-")).sorted().toList();
        }
        assertThat(real).hasSizeGreaterThanOrEqualTo(2);
        for (java.nio.file.Path f : real) {
            ParseResult r = ConfigLoader.load(
                    java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(r.diagnostics()).as(f.toString()).noneMatch(Diagnostic::isError);
            assertThat(r.config().cryptoMaps()).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void legacyLinesLoadWithAWarningAndTheDefaultPeerGoesFirst() {
        ParseResult r = load(
                "crypto ipsec security-association lifetime kilobytes disable",
                "crypto map M client authentication list userauth",
                "crypto map M local-address GigabitEthernet0/0",
                "crypto map M 10 ipsec-isakmp",
                " set peer 192.0.2.1",
                " set peer 192.0.2.2 default",
                " match address 110",
                "access-list 110 permit ip 10.3.0.0 0.0.255.255 10.4.0.0 0.0.255.255");
        assertThat(r.errors()).isEmpty();
        assertThat(r.diagnostics()).filteredOn(d -> d.severity() == Severity.WARNING
                        && d.message().startsWith("not acted on"))
                .extracting(Diagnostic::line, Diagnostic::column).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, 14));
        assertThat(r.config().cryptoMap("M").orElseThrow().entries().getFirst().peers()).containsExactly(
                new dev.vpnrouter.config.model.MapPeer.Address(Ipv4.parse("192.0.2.2")),
                new dev.vpnrouter.config.model.MapPeer.Address(Ipv4.parse("192.0.2.1")));
        assertThat(r.config().ipsec().lifetimeKilobytes()).isEqualTo(
                dev.vpnrouter.config.model.IpsecGlobals.KILOBYTES_DISABLED);
    }

    @Test
    void volumeLifetimeDisabledGloballyOrPerEntryIsKeptAndWrittenBack() {
        ParseResult r = load(
                "crypto ipsec security-association lifetime kilobytes disable",
                "crypto map M 10 ipsec-isakmp",
                " set peer 192.0.2.1",
                " set security-association lifetime kilobytes disable",
                " match address 110",
                "crypto map M 20 ipsec-isakmp",
                " set peer 192.0.2.2",
                " set security-association lifetime kilobytes 10000",
                " match address 110",
                "access-list 110 permit ip 10.3.0.0 0.0.255.255 10.4.0.0 0.0.255.255");
        assertThat(r.errors()).isEmpty();
        assertThat(r.diagnostics()).noneMatch(d -> d.message().contains("kilobytes"));
        var entries = r.config().cryptoMap("M").orElseThrow().entries();
        assertThat(entries.get(0).lifetimeKilobytes()).hasValue(
                dev.vpnrouter.config.model.IpsecGlobals.KILOBYTES_DISABLED);
        assertThat(entries.get(1).lifetimeKilobytes()).hasValue(10000);
        assertThat(writtenBack(r.config())).contains("crypto ipsec security-association lifetime kilobytes disable\n")
                .contains(" set security-association lifetime kilobytes disable\n")
                .contains(" set security-association lifetime kilobytes 10000\n");

        ParseResult undone = load("crypto ipsec security-association lifetime kilobytes disable",
                "no crypto ipsec security-association lifetime kilobytes");
        assertThat(undone.config().ipsec().lifetimeKilobytes()).isEqualTo(
                dev.vpnrouter.config.model.IpsecGlobals.DEFAULT_KILOBYTES);
    }

    @Test
    void theLaterOfAnOutOfScopeLineAndItsNoFormWins() {
        ParseResult r = load(
                "ipv6 route ::/0 Null0",
                "ipv6 route 2001:db8::/32 Null0",
                "ipv6 router ospf 1",
                " router-id 192.0.2.1",
                "no ipv6 route ::/0 Null0", // "route", not an abbreviation of "router": the route goes, the block stays
                "no ip routing",
                "ip routing", // replaces the kept "no ip routing"
                "no ipv6 dhcp guard policy G"); // "dhcp" is also a block keyword ("ipv6 dhcp pool")
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().passive()).extracting(dev.vpnrouter.config.model.PassiveLine::text).containsExactly(
                "ipv6 route 2001:db8::/32 Null0", "ipv6 router ospf 1", "ip routing",
                "no ipv6 dhcp guard policy G");
        assertThat(writtenBack(r.config())).doesNotContain("::/0")
                .contains("ipv6 router ospf 1\n router-id 192.0.2.1\n");
    }

    @Test
    void aMistypedSubCommandIsAnErrorNotTheStartOfAnotherFeature() {
        ParseResult r = IosParser.parse(String.join("\n",
                "crypto isakmp policy 10",
                " authentication pre-shared",
                " key chain K",
                " group 14",
                "interface GigabitEthernet0/0",
                " crypto ipsec df-bit clear",
                " crypto map M") + "\n");
        assertThat(r.errors()).extracting(Diagnostic::line).containsExactly(2, 3, 6);
        assertThat(r.config().isakmpPolicies().getFirst().group()).isEqualTo(DhGroupId.GROUP14);
        assertThat(r.config().iface("GigabitEthernet0/0").orElseThrow().cryptoMap()).contains("M");
        assertThat(r.config().passive()).isEmpty();
    }

    @Test
    void oneLineFeaturesTakeNoBodyAndABodyIsIndentedDeeperThanItsHeader() {
        // Every line indented alike (a pasted excerpt): nothing is anyone's body.
        RouterConfig c = clean(
                " ipv6 unicast-routing",
                " router ospf 1",
                " hostname R2",
                "ip dhcp excluded-address 10.0.0.1 10.0.0.9",
                " hostname R3");
        assertThat(c.hostname()).contains("R3");
        assertThat(c.passive()).allSatisfy(p -> assertThat(p.body()).isEmpty());
    }

    @Test
    void aGlobalFeatureAfterAnInterfaceIsGlobalAndPrefixesOfBlockWordsStayThemselves() {
        RouterConfig c = clean(
                "interface GigabitEthernet0/1",
                " ip address 10.1.1.1 255.255.255.0",
                "ip dhcp pool LAN",
                " network 10.1.1.0 255.255.255.0",
                "vpdn logging",
                "ipv6 route ::/0 Null0",
                "dialer watch-list 1 ip 10.0.0.1 255.255.255.255",
                "spanning-tree mode rapid-pvst");
        assertThat(c.iface("GigabitEthernet0/1").orElseThrow().passive()).isEmpty();
        assertThat(c.passive()).extracting(PassiveLine::text).containsExactly("ip dhcp pool LAN", "vpdn logging",
                "ipv6 route ::/0 Null0", "dialer watch-list 1 ip 10.0.0.1 255.255.255.255",
                "spanning-tree mode rapid-pvst");
    }

    @Test
    void aBlockHeaderAgainContinuesItsBlockAndNoRemovesIt() {
        RouterConfig c = clean(
                "router ospf 1",
                " network 10.1.1.0 0.0.0.255 area 0",
                "router bgp 65000",
                " bgp log-neighbor-changes",
                "router ospf 1",
                " passive-interface default",
                "no router bgp 65000");
        assertThat(c.passive()).containsExactly(new PassiveLine("router ospf 1", PassiveLine.Placement.TAIL,
                java.util.List.of(" network 10.1.1.0 0.0.0.255 area 0", " passive-interface default")));
    }
}
